import ChengyunCore
import SQLKit

/// Case volume per major category (E01, C02…): reports per local day over the last weeks in the
/// caller's area, and the next days forecast by the method their back-test favours (docs/domain.md §8).
public struct CaseVolumeForecast: Codable, Equatable, Sendable {
    public struct Day: Codable, Equatable, Sendable {
        public var day: String
        public var count: Double
    }
    public struct Point: Codable, Equatable, Sendable {
        public var day: String
        public var value: Double
    }
    public var category: String
    public var history: [Day]
    public var points: [Point]
    public var backtest: Backtest?
    public var parameters: HoltWinters.Parameters?
}

extension IndicatorService {
    /// `category` is a kind letter and a major code (E01); `days` of history up to yesterday.
    public func caseVolume(category: String, days: Int, horizon: Int, by actor: Principal) async throws
        -> CaseVolumeForecast
    {
        var validator = Validator()
        let kind = CaseKind(letter: String(category.prefix(1)))
        validator.check(
            category.count == 3 && kind != nil
                && category.dropFirst().allSatisfy { $0.isASCII && $0.isNumber },
            "category", "invalid_value", "A major category: E or C and two digits, e.g. E01.")
        validator.check((28...730).contains(days), "days", "invalid_value", "28 to 730 days.")
        validator.check((1...14).contains(horizon), "horizon", "invalid_value", "1 to 14 days.")
        try validator.finish()
        let now = platform.now()
        return try await platform.pool.read { db in
            let offset = Int64(try await CalendarRepository().current(on: db).utcOffsetMinutes) * 60_000
            let dayMillis: Int64 = 86_400_000
            let today = Int((now + offset) / dayMillis)
            let first = today - days
            let rows = try await db.raw(
                """
                SELECT (reported_at + \(bind: offset)) / \(bind: dayMillis) AS d, COUNT(*) AS n FROM cases
                WHERE kind = \(bind: (kind ?? .event).rawValue) AND major_code = \(bind: String(category.dropFirst())) AND area_path LIKE \(bind: actor.listScope + "%")
                  AND reported_at >= \(bind: Int64(first) * dayMillis - offset) AND reported_at < \(bind: Int64(today) * dayMillis - offset)
                GROUP BY 1
                """
            ).all()
            var counts = [Double](repeating: 0, count: days)
            for row in rows {
                let day = try row.decode(column: "d", as: Int.self) - first
                if counts.indices.contains(day) { counts[day] = Double(try row.decode(column: "n", as: Int.self)) }
            }
            let series = counts.map { Optional($0) }
            var forecast = CaseVolumeForecast(
                category: category,
                history: counts.enumerated().map {
                    .init(day: LocalDate(dayNumber: first + $0.offset).description, count: $0.element)
                }, points: [], backtest: nil, parameters: nil)
            let setup = Indicator.Period.day.forecastSetup
            guard
                let test = Backtest.run(
                    series, setup: setup, horizon: horizon, origins: IndicatorService.backtestOrigins)
            else { return forecast }
            forecast.backtest = test
            if test.method == .holtWinters {
                forecast.parameters =
                    HoltWinters.fit(Array(series.suffix(setup.fitWindow)), periods: setup.periods)?.parameters
            }
            forecast.points = (Backtest.forecast(series, method: test.method, setup: setup, horizon: horizon) ?? [])
                .enumerated().map {
                    .init(day: LocalDate(dayNumber: today + $0.offset).description, value: max(0, $0.element))
                }
            return forecast
        }
    }
}
