import ChengyunCore
import Foundation
import SQLKit

/// One event of the outbox with its sequence number (the live stream's event id).
public struct SequencedEvent: Sendable {
    public var seq: Int64
    public var event: MonitoringEvent
}

/// What every node must hear that is not for the live views: a cached memory gone stale.
enum OutboxSignal: String, Sendable {
    /// Devices or alarm rules changed: each node's monitoring memory reloads them.
    case monitoringChanged = "signal.monitoring"
    /// A person changed an alarm: the nodes judging rules reload the open alarms.
    case alarmsChanged = "signal.alarms"
    /// Readings were queued for the node that judges their devices (`TelemetryInbox`).
    case telemetryQueued = "signal.inbox"
}

/// A row of the outbox as read: an event for the streams, or a signal for the node.
struct OutboxRow: Sendable {
    var seq: Int64
    var event: MonitoringEvent?
    var signal: OutboxSignal?
}

/// The event outbox: every change that the live views want is written here in the transaction of
/// the change, so an event exists exactly when its change committed, on every node. On PostgreSQL
/// the same transaction sends a NOTIFY carrying only the highest sequence number (delivered at
/// commit, dropped on rollback); the nodes' relays read the rows.
struct EventOutbox: Sendable {
    static let channel = "chengyun_events"

    /// Writes `events` and returns them numbered, for this node to hand to its own streams once the
    /// transaction has committed (`MonitoringEvents.committed`).
    func append(_ events: [MonitoringEvent], at now: Int64, on db: any SQLDatabase) async throws -> [SequencedEvent] {
        guard !events.isEmpty else { return [] }
        try await SubscriptionOutbox().published(events, at: now, on: db)
        let numbers = try await insert(events.map { ($0.name, $0.areaPath, $0.json()) }, at: now, on: db)
        return zip(numbers, events).map { SequencedEvent(seq: $0, event: $1) }
    }

    /// Tells every node (this one too), in the caller's transaction.
    func signal(_ signal: OutboxSignal, at now: Int64, on db: any SQLDatabase) async throws {
        _ = try await insert([(signal.rawValue, "/", "{}")], at: now, on: db)
    }

    /// Writes the rows and notifies; returns their numbers in the order of `rows`. One statement
    /// numbers its rows in the order of its values (both databases); the order in which RETURNING
    /// lists them is not promised, so the numbers are sorted before pairing.
    private func insert(_ rows: [(name: String, areaPath: String, body: String)], at now: Int64, on db: any SQLDatabase)
        async throws -> [Int64]
    {
        let insert = db.insert(into: "event_outbox").columns("name", "area_path", "body", "created_at")
        for row in rows {
            insert.values(SQLBind(row.name), SQLBind(row.areaPath), SQLBind(row.body), SQLBind(now))
        }
        let numbers = try await insert.returning("seq").all().map { try $0.decode(column: "seq", as: Int64.self) }
            .sorted()
        try await notify(numbers, on: db)
        return numbers
    }

    /// PostgreSQL: the highest sequence written, sent at commit to every listening node.
    private func notify(_ numbers: [Int64], on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql", let last = numbers.max() else { return }
        try await db.raw("SELECT pg_notify(\(bind: Self.channel), \(bind: String(last)))").run()
    }

    /// The highest sequence number written so far (0 when none).
    func last(on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT COALESCE(MAX(seq), 0) AS seq FROM event_outbox").first()?
            .decode(column: "seq", as: Int64.self) ?? 0
    }

    /// Rows above `after` and the gaps asked for again, in order, at most `limit`.
    func read(after: Int64, gaps: [Int64] = [], upTo: Int64? = nil, limit: Int, on db: any SQLDatabase) async throws
        -> [OutboxRow]
    {
        let query = db.select().columns("seq", "name", "body").from("event_outbox")
        if gaps.isEmpty {
            query.where("seq", .greaterThan, after)
        } else {
            query.where { $0.where("seq", .greaterThan, after).orWhere("seq", .in, gaps) }
        }
        if let upTo { query.where("seq", .lessThanOrEqual, upTo) }
        return try await query.orderBy("seq").limit(limit).all().map(Self.row)
    }

    private static func row(_ row: any SQLRow) throws -> OutboxRow {
        let name = try row.decode(column: "name", as: String.self)
        let body = Data(try row.decode(column: "body", as: String.self).utf8)
        // A row this version cannot read (written by a newer node) is passed over, not fatal.
        return OutboxRow(
            seq: try row.decode(column: "seq", as: Int64.self), event: MonitoringEvent(name: name, json: body),
            signal: OutboxSignal(rawValue: name))
    }

    /// The newest `limit` events in `(after, upTo]` inside `scopePath`, in order (a stream's replay).
    func newest(after: Int64, upTo: Int64, scopePath: String, limit: Int, on db: any SQLDatabase) async throws
        -> [OutboxRow]
    {
        // Area paths are codes and slashes; LIKE's own characters are escaped all the same.
        let prefix =
            scopePath.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await db.raw(
            """
            SELECT seq, name, body FROM event_outbox
            WHERE seq > \(bind: after) AND seq <= \(bind: upTo) AND name NOT LIKE 'signal.%'
              AND area_path LIKE \(bind: prefix) ESCAPE '\\'
            ORDER BY seq DESC LIMIT \(bind: limit)
            """
        ).all()
        return try rows.reversed().map(Self.row)
    }

    /// Which numbers above `after` are in the outbox.
    func present(after: Int64, on db: any SQLDatabase) async throws -> Set<Int64> {
        Set(
            try await db.select().column("seq").from("event_outbox").where("seq", .greaterThan, after).all()
                .map { try $0.decode(column: "seq", as: Int64.self) })
    }

    /// Rows older than `before` go (the streams resume from at most a day back).
    func prune(before: Int64, on db: any SQLDatabase) async throws {
        try await db.delete(from: "event_outbox").where("created_at", .lessThan, before).run()
    }
}

extension MonitoringEvent {
    /// An event read back from its name and JSON body.
    init?(name: String, json: Data) {
        let decoder = JSONDecoder()
        switch name {
        case "alarm": guard let v = try? decoder.decode(Alarm.self, from: json) else { return nil }; self = .alarm(v)
        case "device":
            guard let v = try? decoder.decode(DeviceStateChange.self, from: json) else { return nil }
            self = .device(v)
        case "warning":
            guard let v = try? decoder.decode(Warning.self, from: json) else { return nil }
            self = .warning(v)
        case "supervision":
            guard let v = try? decoder.decode(SupervisionOrder.self, from: json) else { return nil }
            self = .supervision(v)
        case "incident":
            guard let v = try? decoder.decode(Incident.self, from: json) else { return nil }
            self = .incident(v)
        case "detection":
            guard let v = try? decoder.decode(Detection.self, from: json) else { return nil }
            self = .detection(v)
        default: return nil
        }
    }
}
