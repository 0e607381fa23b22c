import ChengyunCore
import Testing

/// A replica's lag from WAL positions: the age of the newest noted primary position it has replayed.
@Suite struct ReplicaLagTests {
    @Test func theLagIsTheAgeOfTheNewestPositionReplayed() {
        var lag = ReplicaLag(horizonMillis: 60_000)
        lag.record(primary: 100, at: 1_000)
        lag.record(primary: 150, at: 2_000)
        lag.record(primary: 150, at: 3_000)
        lag.record(primary: 400, at: 4_000)
        // Replayed everything the primary had at 4 s: nothing missing.
        #expect(lag.lag(replayed: 400, now: 4_000) == 0)
        // Replayed 150 (had at 2 s and still at 3 s), not 400 (at 4 s): at most 1 s behind.
        #expect(lag.lag(replayed: 200, now: 4_000) == 1_000)
        #expect(lag.lag(replayed: 100, now: 4_000) == 3_000)
        // An idle primary (the position still) keeps an up-to-date replica at 0.
        lag.record(primary: 400, at: 9_000)
        #expect(lag.lag(replayed: 400, now: 9_000) == 0)
        // Nothing noted replayed: at least the horizon.
        #expect(lag.lag(replayed: 50, now: 9_000) == 60_000)
    }

    @Test func oldSamplesGoButOneAtTheHorizonStays() {
        var lag = ReplicaLag(horizonMillis: 10_000)
        for second in 0...30 { lag.record(primary: Int64(second) * 10, at: Int64(second) * 1_000) }
        #expect(lag.samples.first?.at == 20_000 && lag.samples.count == 11)
        #expect(lag.lag(replayed: 200, now: 30_000) == 10_000)
        // A position going back means a new primary: start again from it.
        lag.record(primary: 5, at: 31_000)
        #expect(lag.samples.count == 1 && lag.lag(replayed: 5, now: 31_000) == 0)
    }

    @Test func theLagIsNeverUnderTheTruthNorOverByMoreThanOneCheck() {
        // For any run of positions and a replica at any point, the lag is between the true age of
        // the replica's data and that age plus one check interval (1 s here).
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var lag = ReplicaLag(horizonMillis: 600_000)
            var position: Int64 = 0
            var history: [(at: Int64, position: Int64)] = []
            for second in 0..<100 {
                position += Int64.random(in: 0...5, using: &generator)
                history.append((Int64(second) * 1_000, position))
                lag.record(primary: position, at: Int64(second) * 1_000)
            }
            let replayed = Int64.random(in: 0...position, using: &generator)
            let now: Int64 = 99_000
            let measured = lag.lag(replayed: replayed, now: now)
            // The first time the primary was past what the replica has: its data is older than that.
            let firstPast = history.first { $0.position > replayed }?.at
            if let firstPast, firstPast == history[0].at {
                #expect(measured >= 600_000, "behind everything noted")
            } else if let firstPast {
                #expect(measured >= now - firstPast && measured <= now - firstPast + 1_000)
            } else {
                #expect(measured == 0)
            }
        }
    }
}
