@testable import ChengyunCore
import Testing

/// The back-test's arithmetic, worked out by hand on series small enough to follow.
@Suite struct BacktestTests {
    /// 1, 2, …, 8 with a cycle of 2 and a 2-step climatology: training is the first 4 steps (two
    /// cycles), origins 4, 5, 6, 7, one step ahead each, so the actual values are 5, 6, 7, 8.
    @Test func theBaselinesScoreAsWorkedOutByHand() throws {
        let series: [Double?] = [1, 2, 3, 4, 5, 6, 7, 8]
        let setup = ForecastSetup(periods: [2], climatologyWindow: 2)
        let test = try #require(Backtest.run(series, setup: setup, horizon: 1, origins: 10))
        #expect(test.origins == 4 && test.points == 4 && test.spacing == 1)
        // Persistence says 4, 5, 6, 7: off by 1 each time.
        #expect(
            test.score(.persistence)
                == ForecastScore(
                    method: .persistence, mae: 1, rmse: 1, mase: 1, mape: 100 * (1 / 5 + 1 / 6 + 1 / 7 + 1 / 8) / 4))
        // Seasonal naive repeats the step one cycle back: 3, 4, 5, 6 — off by 2.
        #expect(test.score(.seasonalNaive)?.mae == 2)
        // The mean of the two steps before: 3.5, 4.5, 5.5, 6.5 — off by 1.5.
        #expect(test.score(.climatology)?.mae == 1.5)
        // The blend's weight, refitted at each origin: steps 2 and 3 (step 1's mean is its own value) each give
        // (y − c)(y₋₁ − c) = 1.5 × 0.5 over (y₋₁ − c)² = 0.25 → 3, held to 1: persistence.
        #expect(test.score(.blend)?.mae == 1)
        // A straight line is what Holt-Winters' trend describes: it wins.
        #expect(test.method == .holtWinters && test.beatsPersistence && test.mae < 0.5, "\(test.scores)")
        #expect(test.scores.map(\.mae) == test.scores.map(\.mae).sorted(), "best first")
    }

    @Test func nothingBeatsPersistenceOnAFlatSeriesAndThePageIsToldSo() throws {
        let test = try #require(
            Backtest.run(
                [Double?](repeating: 7, count: 40), setup: ForecastSetup(periods: [7], climatologyWindow: 30),
                horizon: 3, origins: 365))
        #expect(test.scores.allSatisfy { $0.mae == 0 })
        #expect(
            test.method == .persistence && test.runnerUp == .seasonalNaive && !test.beatsPersistence,
            "ties go to the simplest method")
        #expect(test.score(.persistence)?.mase == nil, "no change to scale by")
    }

    @Test func gapsAreCarriedForwardAndNotScored() throws {
        // Origins 4 and 5 (minimum training 4, horizon 2 leaves the last origin at 5).
        let series: [Double?] = [2, 2, nil, 4, nil, 6, 6]
        let test = try #require(
            Backtest.run(series, setup: ForecastSetup(periods: [2], climatologyWindow: 3), horizon: 2, origins: 9))
        #expect(test.origins == 2)
        // Scored slots: origin 4 → steps 4 (gap, skipped) and 5 (6); origin 5 → steps 5 (6), 6 (6).
        #expect(test.points == 3)
        // Persistence from origin 4 holds 4 (step 3); from origin 5 holds the 4 carried over the gap.
        #expect(test.score(.persistence)?.mae == 2)
    }

    @Test func thereIsNoBacktestWithoutRoomForAnOrigin() {
        let setup = ForecastSetup(periods: [7], climatologyWindow: 30)
        #expect(
            Backtest.run([Double?](repeating: 1, count: 15), setup: setup, horizon: 2, origins: 5) == nil,
            "14 to train, 2 ahead > 15")
        #expect(
            Backtest.run(
                [nil, nil, nil], setup: ForecastSetup(periods: [1], climatologyWindow: 1), horizon: 1, origins: 1)
                == nil)
        #expect(Backtest.run([Double?](repeating: 1, count: 40), setup: setup, horizon: 0, origins: 5) == nil)
    }

    /// The one-pass rolling forecasts are the forecasts the model makes from each prefix.
    @Test func rollingForecastsEqualForecastsFromEachPrefix() throws {
        var random = SplitMix64(seed: 20_261_203)
        for round in 0..<20 {
            let series: [Double?] = (0..<120).map { index in
                Double.random(in: 0..<1, using: &random) < 0.1
                    ? nil : 10 + Double(index % 7) + Double.random(in: -2...2, using: &random)
            }
            let model = HoltWinters(periods: [7], parameters: .init(alpha: 0.3, beta: 0.05, phi: 0.98, gammas: [0.15]))
            let origins = Array(Set((0..<5).map { _ in Int.random(in: 14...120, using: &random) })).sorted()
            let rolling = model.rollingForecasts(series, origins: origins, horizon: 5)
            for (origin, values) in zip(origins, rolling) {
                #expect(
                    values == model.forecast(Array(series.prefix(origin)), horizon: 5),
                    "round \(round) seed 20261203 origin \(origin)")
            }
        }
    }

    @Test func theChosenMethodForecastsBeyondTheSeries() throws {
        let setup = ForecastSetup(periods: [2], climatologyWindow: 4)
        let series: [Double?] = [1, 5, 1, 5, 1, 5, 1, 5]
        #expect(Backtest.forecast(series, method: .persistence, setup: setup, horizon: 3) == [5, 5, 5])
        #expect(Backtest.forecast(series, method: .seasonalNaive, setup: setup, horizon: 3) == [1, 5, 1])
        #expect(Backtest.forecast(series, method: .climatology, setup: setup, horizon: 2) == [3, 3])
    }
}
