import ChengyunCore
import Foundation
import SQLKit
import Tracing

/// The queue of readings a node took for devices another node judges (`RuleShards`): one row per
/// shard of a batch, written in the batch's transaction (so acknowledged means queued, durably),
/// judged and stored by the shard's owner in order, which deletes the row in the same transaction
/// as its readings, rule states and alarms — so a row is judged once, whoever owns the shard then.
struct TelemetryInbox: Sendable {
    struct Entry: Sendable {
        var seq: Int64
        var shard: Int
        var actor: Principal
        var readings: [IncomingReading]
        /// The trace of the request that queued it (W3C headers), continued where it is judged.
        var trace: [String: String]
    }

    /// The caller's trace as headers, to be carried with the rows it queues (empty when none).
    static func currentTrace() -> [String: String] {
        guard let context = ServiceContext.current else { return [:] }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: TraceHeaders())
        return carrier
    }

    /// The context a queued row's judging continues.
    static func context(of trace: [String: String]) -> ServiceContext {
        var context = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(trace, into: &context, using: TraceHeaders())
        return context
    }

    /// A reading as queued: its values as two lists, in their order.
    private struct Queued: Codable {
        var line: Int
        var device: String
        var at: Int64
        var metrics: [String]
        var values: [Double]
        var lon: Double?
        var lat: Double?
    }

    func append(
        _ parts: [Int: [IncomingReading]], actor: Principal, trace: [String: String], at now: Int64,
        on db: any SQLDatabase
    ) async throws {
        guard !parts.isEmpty else { return }
        let encoder = JSONEncoder()
        let who = String(decoding: try encoder.encode(actor), as: UTF8.self)
        let headers = trace.isEmpty ? nil : String(decoding: try encoder.encode(trace), as: UTF8.self)
        let insert = db.insert(into: "telemetry_inbox").columns("shard", "actor", "readings", "trace", "received_at")
        for (shard, readings) in parts.sorted(by: { $0.key < $1.key }) {
            let queued = readings.map {
                Queued(
                    line: $0.line, device: $0.device, at: $0.at, metrics: $0.values.map(\.metric),
                    values: $0.values.map(\.value), lon: $0.lon, lat: $0.lat)
            }
            let body = String(decoding: try encoder.encode(queued), as: UTF8.self)
            insert.values(SQLBind(shard), SQLBind(who), SQLBind(body), SQLBind(headers), SQLBind(now))
        }
        try await insert.run()
        try await EventOutbox().signal(.telemetryQueued, at: now, on: db)
    }

    /// The oldest rows of `shards`, at most `limit`; each row read on its own, so one that cannot
    /// be read comes back as a failure (to be set aside) and does not stop the rest.
    func next(shards: [Int], limit: Int, on db: any SQLDatabase) async throws -> [Result<Entry, UnreadableRow>] {
        guard !shards.isEmpty else { return [] }
        return try await db.select().columns("seq", "shard", "actor", "readings", "trace").from("telemetry_inbox")
            .where("shard", .in, shards.sorted()).orderBy("seq").limit(limit).all().map { row in
                let seq = try row.decode(column: "seq", as: Int64.self)
                do {
                    return .success(try entry(seq: seq, row))
                } catch {
                    return .failure(UnreadableRow(seq: seq, reason: loggedError(error)))
                }
            }
    }

    private func entry(seq: Int64, _ row: any SQLRow) throws -> Entry {
        let decoder = JSONDecoder()
        let queued = try decoder.decode(
            [Queued].self, from: Data(try row.decode(column: "readings", as: String.self).utf8))
        return Entry(
            seq: seq, shard: try row.decode(column: "shard", as: Int.self),
            actor: try decoder.decode(
                Principal.self, from: Data(try row.decode(column: "actor", as: String.self).utf8)),
            readings: queued.map {
                IncomingReading(
                    line: $0.line, device: $0.device, at: $0.at,
                    values: Array(zip($0.metrics, $0.values)).map { (metric: $0.0, value: $0.1) }, lon: $0.lon,
                    lat: $0.lat)
            },
            trace: try row.decode(column: "trace", as: String?.self).flatMap {
                try? decoder.decode([String: String].self, from: Data($0.utf8))
            } ?? [:])
    }

    /// Moves a row that cannot be judged to `telemetry_inbox_dead`, with the reason.
    func setAside(seq: Int64, reason: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO telemetry_inbox_dead (seq, shard, actor, readings, received_at, failed_at, reason)
            SELECT seq, shard, actor, readings, received_at, \(bind: now), \(bind: String(reason.prefix(2000)))
            FROM telemetry_inbox WHERE seq = \(bind: seq)
            """
        ).run()
        try await db.delete(from: "telemetry_inbox").where("seq", .equal, seq).run()
    }

    /// Takes rows off the queue; returns how many were still there (fewer: another node judged some).
    func remove(seqs: [Int64], on db: any SQLDatabase) async throws -> Int {
        try await db.delete(from: "telemetry_inbox").where("seq", .in, seqs).returning("seq").all().count
    }

    /// Rows waiting, per shard (the operator's view).
    func waiting(on db: any SQLDatabase) async throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try await db.raw("SELECT shard, COUNT(*) AS n FROM telemetry_inbox GROUP BY shard").all() {
            counts[try row.decode(column: "shard", as: Int.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}

/// A queued row that could not be read.
struct UnreadableRow: Error {
    var seq: Int64
    var reason: String
}

/// Trace headers in a dictionary.
private struct TraceHeaders: Injector, Extractor {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// What a queued row's judging throws when the row is gone (another node took it first).
struct InboxEntryGone: Error {}
