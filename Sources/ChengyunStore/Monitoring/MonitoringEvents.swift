import ChengyunCore
import Foundation
import Synchronization

/// Something the live views want at once: an alarm raised, changed or cleared, a device going
/// online, offline or into maintenance, a warning raised or resolved, a supervision order, an
/// emergency incident reported or changed (its board reloads).
public enum MonitoringEvent: Sendable {
    case alarm(Alarm)
    case device(DeviceStateChange)
    case warning(Warning)
    case supervision(SupervisionOrder)
    case incident(Incident)
    /// A video detection put to review, or reviewed (the review queues follow it).
    case detection(Detection)

    public var name: String {
        switch self {
        case .alarm: "alarm"
        case .device: "device"
        case .warning: "warning"
        case .supervision: "supervision"
        case .incident: "incident"
        case .detection: "detection"
        }
    }

    public var areaPath: String {
        switch self {
        case .alarm(let alarm): alarm.areaPath
        case .device(let change): change.areaPath
        case .warning(let warning): warning.areaPath
        case .supervision(let order): order.areaPath
        case .incident(let incident): incident.areaPath
        case .detection(let detection): detection.areaPath
        }
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data? =
            switch self {
            case .alarm(let alarm): try? encoder.encode(alarm)
            case .device(let change): try? encoder.encode(change)
            case .warning(let warning): try? encoder.encode(warning)
            case .supervision(let order): try? encoder.encode(order)
            case .incident(let incident): try? encoder.encode(incident)
            case .detection(let detection): try? encoder.encode(detection)
            }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

public struct DeviceStateChange: Codable, Sendable, Equatable {
    public var deviceId: String
    public var code: String
    public var kindCode: String
    public var areaPath: String
    public var lon: Double
    public var lat: Double
    public var state: DeviceState
    public var at: Int64
}

/// Fans the outbox's events out to this node's live subscribers (the server-sent-events streams).
/// Changes write their events into the outbox in their own transaction and, once committed, hand
/// them here (`committed`: at once when they continue the numbers delivered, else by waking the
/// relay), which reads what is new (`OutboxCursor`: on PostgreSQL also what committed late) and
/// hands each event to every subscriber in scope. Other nodes' changes arrive the same way, woken
/// by PostgreSQL's NOTIFY and a poll every second. Signals in the outbox (a memory gone stale) go
/// to `onSignal` once the node `follow`s the outbox (a served node does; elsewhere nothing is read
/// while nobody listens). A slow subscriber loses its oldest events rather than holding anyone up.
public final class MonitoringEvents: Sendable {
    let pool: any DatabasePool
    private let now: @Sendable () -> Int64
    private let state = Mutex(RelayState())

    /// Events held for one slow subscriber, at each stage of its stream, before the oldest go.
    public static let buffered = 1000
    /// How far back a stream resuming with `Last-Event-ID` is replayed, at most: the newest this
    /// many of its area's events (its stream holds no more at once).
    public static let replayLimit = buffered
    /// Numbers below the outbox's end a relay starting up treats as possibly still committing.
    static let startWindow: Int64 = 200

    struct Subscriber {
        var scopePath: String
        var continuation: AsyncStream<SequencedEvent>.Continuation
    }

    struct RelayState {
        var subscribers: [UUID: Subscriber] = [:]
        var cursor: OutboxCursor?
        var reading = false
        var again = false
        var following = false
    }

    /// Called for each signal read (set once by the monitoring hub).
    let onSignal = Mutex<(@Sendable (OutboxSignal) -> Void)?>(nil)

    init(pool: any DatabasePool, now: @escaping @Sendable () -> Int64) {
        self.pool = pool
        self.now = now
    }

    /// A stream of the events inside `scopePath` from now on, or, given `after` (the last event id
    /// a client saw), first those after it that are still in the outbox. The subscriber is
    /// registered when this returns; the stream ends when the caller stops iterating.
    public func subscribe(scopePath: String, after: Int64? = nil) async throws -> AsyncStream<SequencedEvent> {
        let id = UUID()
        let (live, feed) = AsyncStream<SequencedEvent>.makeStream(bufferingPolicy: .bufferingNewest(Self.buffered))
        let joinedAt = try await join(id, Subscriber(scopePath: scopePath, continuation: feed))
        let pool = pool
        return AsyncStream(bufferingPolicy: .bufferingNewest(Self.buffered)) { output in
            let task = Task {
                var replayed = Set<Int64>()
                if let after, after < joinedAt {
                    let old = try? await pool.read { db in
                        try await EventOutbox().newest(
                            after: after, upTo: joinedAt, scopePath: scopePath, limit: Self.replayLimit, on: db)
                    }
                    for row in old ?? [] {
                        guard let event = row.event else { continue }
                        replayed.insert(row.seq)
                        output.yield(SequencedEvent(seq: row.seq, event: event))
                    }
                }
                // Nothing the client saw before (a late gap at or below its id) comes again.
                let floor = after ?? .min
                for await item in live where item.seq > floor && !replayed.contains(item.seq) { output.yield(item) }
                output.finish()
            }
            output.onTermination = { [weak self] _ in
                task.cancel()
                let gone = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
                gone?.continuation.finish()
            }
        }
    }

    /// Registers a subscriber; the relay starts from the outbox's end when it was idle. Returns
    /// the position from which the subscriber is fed live.
    private func join(_ id: UUID, _ subscriber: Subscriber) async throws -> Int64 {
        let joined = state.withLock { s -> Int64? in
            guard let position = s.cursor?.position else { return nil }
            s.subscribers[id] = subscriber
            return position
        }
        if let joined { return joined }
        let start = try await startingCursor()
        return state.withLock { s in
            if s.cursor == nil { s.cursor = start }
            s.subscribers[id] = subscriber
            return s.cursor?.position ?? start.position
        }
    }

    /// A cursor at the outbox's end, the numbers just below it that are not there yet counted as
    /// gaps (their transactions may still commit).
    private func startingCursor() async throws -> OutboxCursor {
        let (last, present) = try await pool.read { db in
            let last = try await EventOutbox().last(on: db)
            return (last, try await EventOutbox().present(after: last - Self.startWindow, on: db))
        }
        return OutboxCursor(
            position: last, missing: Set(max(1, last - Self.startWindow + 1)...max(1, last)).subtracting(present),
            at: now())
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Reads the outbox from its end on from now on, whether anyone listens or not, so that this
    /// node hears the other nodes' signals (a served node calls it as it starts).
    public func follow() async throws {
        let start = try await startingCursor()
        state.withLock { s in
            if s.cursor == nil { s.cursor = start }
            s.following = true
        }
    }

    /// The highest outbox row this node has read (nil while it neither follows nor has listeners).
    public var position: Int64? { state.withLock { $0.cursor?.position } }

    /// This node's own events, just committed: handed to the streams at once when they continue
    /// the numbers delivered so far (the next number, and on), rather than read back. Anything else
    /// — a number before them not delivered yet, another node's events, signals — is left to the
    /// read, which `wake` starts, so a stream still gets numbers in order and none is jumped over.
    public func committed(_ events: [SequencedEvent]) {
        guard !events.isEmpty else { return }
        let sorted = events.sorted { $0.seq < $1.seq }
        let rest = state.withLock { s -> Bool in
            guard let position = s.cursor?.position else { return false }
            let newer = sorted.drop { $0.seq <= position }
            var run: [OutboxRow] = []
            for event in newer {
                guard event.seq == position + 1 + Int64(run.count) else { break }
                run.append(OutboxRow(seq: event.seq, event: event.event))
            }
            hand(run, in: &s)
            return run.count < newer.count || s.cursor?.gaps.isEmpty == false
        }
        if rest { wake() }
    }

    /// Moves the cursor over `rows` and gives each number it had not delivered to the subscribers
    /// in scope, in order, under the state lock (so two callers cannot interleave); returns the
    /// signals among them.
    @discardableResult
    private func hand(_ rows: [OutboxRow], in s: inout RelayState) -> [OutboxSignal] {
        guard var current = s.cursor else { return [] }
        let deliver = Set(current.take(rows.map(\.seq), now: now()))
        s.cursor = current
        let fresh = rows.filter { deliver.contains($0.seq) }.sorted { $0.seq < $1.seq }
        for target in s.subscribers.values {
            for row in fresh {
                guard let event = row.event, event.areaPath.hasPrefix(target.scopePath) else { continue }
                target.continuation.yield(SequencedEvent(seq: row.seq, event: event))
            }
        }
        return fresh.compactMap(\.signal)
    }

    /// Something may be new in the outbox: read it (one reader at a time; a wake during a read
    /// makes it read once more).
    public func wake() {
        let start = state.withLock { s -> Bool in
            guard s.cursor != nil else { return false }
            if s.reading {
                s.again = true
                return false
            }
            s.reading = true
            return true
        }
        guard start else { return }
        Task { await drain() }
    }

    private func drain() async {
        repeat {
            while (try? await readOnce()) == true {}
        } while state.withLock { s in
            if s.again {
                s.again = false
                return true
            }
            s.reading = false
            return false
        }
    }

    /// Reads one page; true when a full page came back (more may wait).
    private func readOnce() async throws -> Bool {
        guard
            let cursor = state.withLock({ s -> OutboxCursor? in
                if s.subscribers.isEmpty && !s.following { s.cursor = nil }
                return s.cursor
            })
        else { return false }
        let page = 1000
        let rows = try await pool.read { db in
            try await EventOutbox().read(after: cursor.position, gaps: cursor.pending, limit: page, on: db)
        }
        let signals = state.withLock { hand(rows, in: &$0) }
        // Outside the lock: a signal's handler reloads memories and may take locks of its own.
        if let onSignal = onSignal.withLock({ $0 }) {
            for signal in Set(signals) { onSignal(signal) }
        }
        return rows.count == page
    }
}
