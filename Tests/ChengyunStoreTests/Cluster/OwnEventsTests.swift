import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A node hands its own committed events to its streams at once (no read of the outbox between the
/// commit and the browser), while what it did not write — another writer's rows, the numbers it
/// jumped over — still comes through the read, each number once.
@Suite(.timeLimit(.minutes(5))) struct OwnEventsTests {
    @Test(arguments: TestBackend.available) func ownEventsGoOutAtCommitAndWhatWasJumpedOverIsRead(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let events = platform.monitoring.events
            let stream = try await events.subscribe(scopePath: "/")
            var iterator = stream.makeAsyncIterator()
            // Another writer's event: committed, but nobody hands it over or wakes the relay.
            try await platform.pool.transaction { db in
                try await EventOutbox().append([.alarm(alarm("X", .raised))], at: 1, on: db)
            }
            // This node's three, numbered in the order they were written.
            let published = try await platform.pool.transaction { db in
                try await EventOutbox().append(
                    [.alarm(alarm("A", .raised)), .alarm(alarm("B", .raised)), .alarm(alarm("A", .cleared))], at: 2,
                    on: db)
            }
            #expect(published.map(\.seq) == published.map(\.seq).sorted())
            #expect(published.compactMap(\.alarmId) == ["A", "B", "A"])
            events.committed(published)
            // They come at once, in order; the other writer's event, jumped over, is read after them.
            var heard: [SequencedEvent] = []
            for _ in 0..<4 { heard.append(try #require(await iterator.next())) }
            #expect(heard.prefix(3).map(\.seq) == published.map(\.seq))
            #expect(heard.last?.alarmId == "X" && heard.last!.seq < published[0].seq)
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
