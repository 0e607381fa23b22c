import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A node hands its own committed events to its streams at once (no read of the outbox between the
/// commit and the browser) when they continue what the streams have had; otherwise — another
/// writer's rows before them — the read brings everything in order, each number once.
@Suite(.timeLimit(.minutes(5))) struct OwnEventsTests {
    @Test(arguments: TestBackend.available) func ownEventsThatContinueTheStreamGoOutAtCommit(
        backend: TestBackend
    ) async throws {
        try await withCityStream(backend) { platform, events, stream in
            var iterator = stream.makeAsyncIterator()
            let published = try await platform.pool.transaction { db in
                try await EventOutbox().append(
                    [.alarm(alarm("A", .raised)), .alarm(alarm("B", .raised)), .alarm(alarm("A", .cleared))], at: 2,
                    on: db)
            }
            #expect(published.map(\.seq) == published.map(\.seq).sorted())
            #expect(published.compactMap(\.alarmId) == ["A", "B", "A"])
            // Their rows gone, the outbox read could not bring them: what arrives came at commit.
            try await platform.pool.transaction { db in try await db.delete(from: "event_outbox").run() }
            events.committed(published)
            var heard: [Int64] = []
            for _ in 0..<3 { heard.append(try #require(await iterator.next()).seq) }
            #expect(heard == published.map(\.seq))
            #expect(events.position == published.last?.seq)
        }
    }

    @Test(arguments: TestBackend.available) func numbersBeforeOwnEventsAreReadFirstAndNothingTwice(
        backend: TestBackend
    ) async throws {
        try await withCityStream(backend) { platform, events, stream in
            var iterator = stream.makeAsyncIterator()
            // Another writer's event: committed, but nobody hands it over or wakes the relay.
            try await platform.pool.transaction { db in
                _ = try await EventOutbox().append([.alarm(alarm("X", .raised))], at: 1, on: db)
            }
            let published = try await platform.pool.transaction { db in
                try await EventOutbox().append(
                    [.alarm(alarm("A", .raised)), .alarm(alarm("B", .raised))], at: 2, on: db)
            }
            // The own events do not continue the stream (X is before them): the read brings all
            // three, in order, rather than the own ones first.
            events.committed(published)
            var heard: [SequencedEvent] = []
            for _ in 0..<3 { heard.append(try #require(await iterator.next())) }
            #expect(heard.compactMap(\.alarmId) == ["X", "A", "B"])
            #expect(heard.map(\.seq) == heard.map(\.seq).sorted())
            // Handing them again, or reading the outbox again, sends nothing twice.
            events.committed(published)
            events.wake()
            let nothing = Task { await iterator.next() }
            try await Task.sleep(for: .milliseconds(200))
            nothing.cancel()
            #expect(await nothing.value == nil)
            #expect(events.position == published.last?.seq)
        }
    }

    /// A platform with one stream of the whole city open on it.
    private func withCityStream(
        _ backend: TestBackend,
        _ body: (Platform, MonitoringEvents, AsyncStream<SequencedEvent>) async throws -> Void
    ) async throws {
        try await withPlatform(backend) { platform in
            let events = platform.monitoring.events
            try await body(platform, events, try await events.subscribe(scopePath: "/"))
        }
    }

    private func alarm(_ id: String, _ state: AlarmState) -> Alarm {
        Alarm(
            id: id, ruleId: "R1", ruleName: "PM2.5", deviceId: "D1", deviceCode: "ENV-1", kindCode: "environment",
            areaPath: "/320500/", lon: 120.6, lat: 31.3, severity: .red, state: state, detail: "PM2.5 300",
            metric: "pm25", value: 300, raisedAt: 1, updatedAt: 1)
    }
}

extension SequencedEvent {
    fileprivate var alarmId: String? {
        guard case .alarm(let alarm) = event else { return nil }
        return alarm.id
    }
}
