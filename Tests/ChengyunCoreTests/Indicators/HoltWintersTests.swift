@testable import ChengyunCore
import Foundation
import Testing

/// The seasonal forecast: exact on series it can describe exactly, bridging gaps, and back-tested
/// on real hourly PM2.5 from Beijing against persistence, seasonal-naive and climatology.
@Suite struct HoltWintersTests {
    /// 10 + 0.5·t plus a weekly pattern, no noise.
    private func weekly(_ count: Int) -> [Double?] {
        let pattern: [Double] = [3, 5, 4, 2, 0, -8, -6]
        return (0..<count).map { 10 + 0.5 * Double($0) + pattern[$0 % 7] }
    }

    @Test func aNoiselessTrendAndWeekAreForecastAlmostExactly() throws {
        let series = weekly(10 * 7)
        let model = try #require(HoltWinters.fit(series, periods: [7]))
        let ahead = model.forecast(series, horizon: 14)
        let truth = weekly(12 * 7).suffix(14).map { $0! }
        let worst = zip(ahead, truth).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1.5, "worst error \(worst) on values around 45; params \(model.parameters)")
    }

    @Test func theInitialStateIsWorkedOutByHand() {
        // Two cycles of period 2: [1, 3, 1, 3] → level 2, seasonal terms −1 and +1, no trend.
        let state = HoltWinters.initial([1, 3, 1, 3], periods: [2])
        #expect(state.level == 2 && state.trend == 0 && state.seasons == [[-1, 1]])
        // With α = β = γ = 0 nothing moves: the forecast continues the pattern.
        let still = HoltWinters(periods: [2], parameters: .init(alpha: 0, beta: 0, phi: 1, gammas: [0]))
        #expect(still.forecast([1, 3, 1, 3], horizon: 3) == [1, 3, 1])
    }

    @Test func gapsAreBridgedNotFatal() throws {
        var series = weekly(10 * 7)
        for index in stride(from: 20, to: 60, by: 3) { series[index] = nil }
        let model = try #require(HoltWinters.fit(series, periods: [7]))
        let ahead = model.forecast(series, horizon: 7)
        let truth = weekly(11 * 7).suffix(7).map { $0! }
        #expect(zip(ahead, truth).allSatisfy { abs($0 - $1) < 2 }, "\(ahead) vs \(truth)")
        #expect(HoltWinters.fit(Array(repeating: nil, count: 40), periods: [7]) == nil, "too few values to fit")
        #expect(HoltWinters.fit([1, 2, 3], periods: [7]) == nil, "shorter than two cycles")
    }

    /// A year of daily origins at each bundled station (2016-03-01 to 2017-02-28), 24 hours ahead,
    /// hourly: every method is scored on the same 8,760 slots, and the one chosen beats holding
    /// the last value. The baselines' errors agree with the figures worked out independently for
    /// Dongsi in issue 20 (persistence 45.7, seasonal-naive 63.4, 30-day mean 65.0 µg/m³).
    @Test(arguments: ["Dongsi", "Tiantan"]) func aYearOfDailyOriginsBeatsPersistence(station: String) throws {
        // 2015-12-01 to 2017-02-28: 31 + 31 + 29 + 365 = 456 days; the first origin is day 91.
        let series = try pm25(station: station, from: (2015, 12, 1), hours: 456 * 24)
        #expect(series.count == 456 * 24)
        let setup = Indicator.Period.hour.forecastSetup
        let test = try #require(Backtest.run(series, setup: setup, horizon: 24, origins: 365))
        print(
            "\(station) pm25, 365 daily origins, 24 h ahead: "
                + test.scores.map {
                    "\($0.method.rawValue) MAE \(($0.mae * 10).rounded() / 10) RMSE \(($0.rmse * 10).rounded() / 10) MASE \((($0.mase ?? 0) * 100).rounded() / 100)"
                }.joined(separator: "; "))
        #expect(test.origins == 365 && test.spacing == 24 && test.horizon == 24)
        #expect(test.points > 8_000 && test.points <= 8_760, "the slots with a measured value")
        #expect(Set(test.scores.map(\.method)) == Set(ForecastMethod.allCases))
        let persistence = try #require(test.score(.persistence))
        #expect(
            test.beatsPersistence && test.method != .persistence,
            "chosen \(test.method) MAE \(test.mae) vs persistence \(persistence.mae)")
        #expect(test.mae < persistence.mae)
        #expect(test.runnerUp != nil && test.runnerUp != test.method)
        if station == "Dongsi" {
            let naive = try #require(test.score(.seasonalNaive)), climatology = try #require(test.score(.climatology))
            #expect(abs(persistence.mae - 45.7) < 1.5, "persistence \(persistence.mae)")
            #expect(abs(naive.mae - 63.4) < 1.5, "seasonal naive \(naive.mae)")
            #expect(abs(climatology.mae - 65.0) < 1.5, "30-day mean \(climatology.mae)")
        }
    }

    /// The indicator's own case: the daily mean PM2.5 (a day with under 18 hourly values has none)
    /// over two years at Dongsi, a week ahead from every day of the second year.
    @Test func beijingDailyMeanPM25IsBacktestedFromAYearOfOrigins() throws {
        let hourly = try pm25(station: "Dongsi", from: (2015, 3, 1), hours: 730 * 24)
        let daily: [Double?] = stride(from: 0, to: hourly.count, by: 24).map { start in
            let day = hourly[start..<min(start + 24, hourly.count)].compactMap { $0 }
            return day.count >= 18 ? day.reduce(0, +) / Double(day.count) : nil
        }
        #expect(daily.count == 730)
        let test = try #require(
            Backtest.run(daily, setup: Indicator.Period.day.forecastSetup, horizon: 7, origins: 365))
        print("beijing daily pm25: " + test.scores.map { "\($0.method.rawValue) \($0.mae)" }.joined(separator: ", "))
        #expect(test.origins == 365 && test.points > 2_000)
        // Whatever wins is at least as good as each baseline, by construction of the choice.
        for baseline in [ForecastMethod.persistence, .seasonalNaive, .climatology] {
            #expect(test.mae <= (try #require(test.score(baseline))).mae)
        }
        #expect(test.beatsPersistence == (test.method != .persistence))
    }

    /// The hourly PM2.5 column of one station, NA as nil.
    private func pm25(station: String, from start: (Int, Int, Int), hours: Int) throws -> [Double?] {
        // The repository's data/ folder (Tests/ChengyunCoreTests/Indicators/ → the root), or a larger copy.
        let directory =
            ProcessInfo.processInfo.environment["CHENGYUN_SHARED_DATA"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data").path
        let path = "\(directory)/beijing-air/PRSA_Data_\(station)_20130301-20170228.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DataMissing(path: path)
        }
        var values: [Double?] = []
        var started = false
        for record in CSVReader(text).dropFirst() {
            let f = record.fields
            if !started {
                started = Int(f[1]) == start.0 && Int(f[2]) == start.1 && Int(f[3]) == start.2 && Int(f[4]) == 0
            }
            guard started else { continue }
            values.append(Double(f[5]))
            if values.count == hours { break }
        }
        return values
    }

    struct DataMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "The real data is missing at \(path); CI sets CHENGYUN_SHARED_DATA." }
    }
}
