import ChengyunStore
import Testing

/// The webhook loop's wake-up: a raise made before the wait is kept for it (and many are one), a
/// raise during the waits ends them all long before their timeout, and without a raise a wait ends
/// at its own timeout. The margins are minutes against milliseconds: these are not timings.
@Suite struct WorkSignalTests {
    @Test func aRaiseBeforeTheWaitIsKeptForItAndManyAreOne() async {
        let signal = WorkSignal()
        signal.raise()
        signal.raise()
        let started = ContinuousClock.now
        await signal.wait(upTo: .seconds(120))
        #expect(ContinuousClock.now - started < .seconds(60), "kept for the wait")
        // The two raises were one: the next wait runs to its timeout.
        let again = ContinuousClock.now
        await signal.wait(upTo: .milliseconds(50))
        #expect(ContinuousClock.now - again >= .milliseconds(50))
    }

    @Test func aRaiseDuringTheWaitEndsIt() async {
        let signal = WorkSignal()
        let raiser = Task {
            try await Task.sleep(for: .milliseconds(20))
            signal.raise()
        }
        let started = ContinuousClock.now
        await signal.wait(upTo: .seconds(120))
        #expect(ContinuousClock.now - started < .seconds(60), "woken, not timed out")
        _ = await raiser.result
    }

    @Test func aRaiseWakesEveryWaitAndATimeoutOnlyItsOwn() async {
        let signal = WorkSignal()
        let started = ContinuousClock.now
        // A short wait times out alone; the two long ones wait on for the raise.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await signal.wait(upTo: .milliseconds(10)) }
            group.addTask { await signal.wait(upTo: .seconds(120)) }
            group.addTask { await signal.wait(upTo: .seconds(120)) }
            await group.next()
            try? await Task.sleep(for: .milliseconds(200))
            signal.raise()
            await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(60), "both long waits woken by the one raise")
    }
}
