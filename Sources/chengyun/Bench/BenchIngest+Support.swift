import ArgumentParser
import ChengyunCore
import ChengyunServer
import ChengyunStore
import Foundation
import Synchronization

extension BenchIngest {
    /// A baseline's rate (landed and folded), its backlog at the clock and the ratio to the platform's.
    static func baselineFigures(_ figures: RawReadingsBaseline.Figures, platform: Double, prefix: String) -> [String:
        Any]
    {
        [
            "\(prefix)_per_s": Int(figures.perSecond), "\(prefix)_unfolded": figures.unfolded,
            "\(prefix)_drain_s": BenchResult.rounded(figures.drainSeconds, 1),
            "\(prefix)_rows": figures.rows,
            prefix == "baseline" ? "ratio" : "\(prefix)_ratio": BenchResult.rounded(platform / figures.perSecond),
        ]
    }

    /// Where the fold's time went (`FoldTimes`, every node's): `fold_` during the run, `drain_` for
    /// the backlog after; with the rows moved, so a step's time a row compares across window sizes.
    static func foldFigures(_ times: FoldTimes, prefix: String) -> [String: Any] {
        [
            "\(prefix)_windows": times.windows, "\(prefix)_rows": times.rows,
            "\(prefix)_read_s": BenchResult.rounded(times.read.seconds, 1),
            "\(prefix)_sort_s": BenchResult.rounded(times.sort.seconds, 1),
            "\(prefix)_copy_s": BenchResult.rounded(times.copy.seconds, 1),
            "\(prefix)_trim_s": BenchResult.rounded(times.trim.seconds, 1),
        ]
    }

    /// On a fresh schema of its own, dropped afterwards.
    func postgresBaseline(
        _ database: String, seconds: Double, shape: RawReadingsBaseline.Shape,
        landing: RawReadingsBaseline.Landing
    ) async throws -> RawReadingsBaseline.Figures {
        let scratch = BenchDatabase(postgres: database)
        defer { scratch.remove() }
        let pool = try await scratch.open()
        do {
            let figures = try await RawReadingsBaseline.run(
                pool: pool, seconds: seconds, shape: shape, landing: landing)
            await pool.close()
            await scratch.dropSchema()
            return figures
        } catch {
            await pool.close()
            await scratch.dropSchema()
            throw error
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Alarm latency's p99 over each span of the run, in order (where a long run's slow alarms fall).
    static func p99BySpan(_ published: [(at: Int64, ms: Double)], spanMillis: Int64) -> [Int] {
        guard let first = published.map(\.at).min() else { return [] }
        let spans = Dictionary(grouping: published) { ($0.at - first) / spanMillis }
        return spans.keys.sorted().map { key in
            var span = Latencies()
            for sample in spans[key]! { span.record(milliseconds: sample.ms) }
            return Int(span.milliseconds(at: 99))
        }
    }

    /// The bench city with `devices` environment devices (codes `code(i)`) over a 100-wide grid;
    /// returns the city area.
    static func environmentCity(_ platform: Platform, devices: Int) async throws -> Area {
        try await environmentCityWithStaff(platform, devices: devices).city
    }

    /// The bench city with `devices` environment devices, and its staff.
    static func environmentCityWithStaff(_ platform: Platform, devices: Int) async throws
        -> (city: Area, staff: BenchCity.Setup)
    {
        let staff = try await BenchCity.make(platform)
        guard
            let city = try await platform.organisation.listAreas(
                level: .city, parentId: nil, page: PageRequest(limit: 1), by: .system
            ).items.first
        else {
            throw ValidationError("the bench city has no city area")
        }
        print("registering \(devices) environment devices…")
        for index in 0..<devices {
            _ = try await platform.devices.register(
                NewDevice(
                    code: code(index), kindCode: "environment", name: "站\(index)",
                    lon: 120.5 + Double(index % 100) * 0.001, lat: 31.2 + Double(index / 100) * 0.001,
                    areaId: city.id), by: .system)
        }
        return (city, staff)
    }

    static func code(_ index: Int) -> String { "ENV-" + String(100_000 + index).dropFirst() }
}

/// Alarm latency where alarms are published: each alarm once, at its first event on the first
/// node's live streams, from the reading that event carries (the one that raised it; or, when the
/// raise and the clear came in one batch — a node judging lines queued for its shards can hold two
/// readings of a device — or the raise was not delivered, the one that cleared it: both times are
/// the client's stamps).
final class AlarmWatch: Sendable {
    private struct State {
        var all: [(at: Int64, ms: Double)] = []
        var histogram = Latencies()
        var seq: Int64 = 0
        var seen: Set<String> = []
    }
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ platform: Platform) async throws {
        let events = try await platform.monitoring.events.subscribe(scopePath: "/")
        task.withLock {
            $0 = Task { [self] in
                for await item in events {
                    guard case .alarm(let alarm) = item.event else { continue }
                    let now = EpochMillis.now()
                    state.withLock {
                        $0.seq = max($0.seq, item.seq)
                        guard $0.seen.insert(alarm.id).inserted else { return }
                        let ms = max(
                            0,
                            Double(now - (alarm.state == .raised ? alarm.raisedAt : alarm.clearedAt ?? alarm.updatedAt))
                        )
                        $0.all.append((now, ms))
                        $0.histogram.record(milliseconds: ms)
                    }
                }
            }
        }
    }

    /// Waits (10 s at most) until the streams have had the last alarm event the outbox holds:
    /// alarms raised on other nodes, or committed out of order, arrive through the outbox's relay.
    /// Says whether it came.
    func awaitLast(on pool: any DatabasePool) async throws -> Bool {
        let last = try await pool.read { db in
            try await db.raw("SELECT COALESCE(MAX(seq), 0) AS n FROM event_outbox WHERE name = 'alarm'").first()?
                .decode(column: "n", as: Int64.self) ?? 0
        }
        let waiting = ContinuousClock.now
        while state.withLock({ $0.seq }) < last {
            guard ContinuousClock.now - waiting < .seconds(10) else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    func stop() -> (published: [(at: Int64, ms: Double)], histogram: Latencies) {
        task.withLock { $0?.cancel() }
        return state.withLock { ($0.all, $0.histogram) }
    }
}
