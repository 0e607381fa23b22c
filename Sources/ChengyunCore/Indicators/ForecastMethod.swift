/// The ways a series can be forecast, from "no model" to the seasonal model. The back-test runs
/// them all over the same origins and the forecast shown is the one it favours, so a model is
/// only used where it beats holding the last value (persistence) or the recent mean.
public enum ForecastMethod: String, Codable, Sendable, CaseIterable {
    /// The last value, held for every step ahead.
    case persistence
    /// The last shortest cycle repeated (yesterday's hours, last week's days).
    case seasonalNaive
    /// The mean of the trailing window (30 days of hours or days).
    case climatology
    /// Persistence decaying to the recent normal (the trailing mean and the shortest cycle's
    /// profile): ŷ(t+h) = c(t+h) + w_h·(y_t − c(t)), one least-squares weight a step ahead,
    /// refitted at each origin on the steps before it.
    case blend
    /// Additive Holt-Winters with damped trend and one or two seasonal cycles.
    case holtWinters
}

/// How the methods are set up for a series of one period length.
public struct ForecastSetup: Equatable, Sendable {
    /// Seasonal cycle lengths in steps (e.g. [24, 168] for hours, [7] for days).
    public var periods: [Int]
    /// Steps in the climatology's trailing window.
    public var climatologyWindow: Int
    /// Steps between back-test origins (24 for hourly series: one origin a day).
    public var originSpacing: Int

    public init(periods: [Int], climatologyWindow: Int, originSpacing: Int = 1) {
        (self.periods, self.climatologyWindow, self.originSpacing) = (
            periods.sorted(), climatologyWindow, originSpacing
        )
    }

    /// Holt-Winters and the blend weights are fitted on at most this many steps before an origin.
    public var fitWindow: Int { 8 * (periods.max() ?? 1) }
    /// The fewest steps before the first origin: two of the longest cycle (what Holt-Winters needs).
    public var minimumTraining: Int { HoltWinters.minimumLength(periods: periods) }
}

/// A series ready for the simple methods: gaps carried forward from the last known value
/// (leading gaps take the first known one) and running sums for trailing means.
struct PreparedSeries {
    let raw: [Double?]
    let filled: [Double]
    private let sums: [Double]

    init?(_ raw: [Double?]) {
        guard let first = raw.first(where: { $0 != nil }) ?? nil else { return nil }
        var filled: [Double] = []
        filled.reserveCapacity(raw.count)
        var last = first
        for value in raw {
            if let value { last = value }
            filled.append(last)
        }
        var sums = [0.0]
        sums.reserveCapacity(raw.count + 1)
        for value in filled { sums.append(sums[sums.count - 1] + value) }
        self.raw = raw
        self.filled = filled
        self.sums = sums
    }

    var count: Int { raw.count }

    /// The mean of the (up to) `window` steps before `origin`.
    func mean(before origin: Int, window: Int) -> Double {
        let from = max(0, origin - window)
        return origin > from ? (sums[origin] - sums[from]) / Double(origin - from) : filled[0]
    }
}

/// One method fitted on the history before the first origin, forecasting from any later origin
/// using only the series before it.
protocol RollingForecaster {
    /// `horizon` values from each origin (an index: the forecast uses steps before it).
    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]]
}

struct PersistenceForecaster: RollingForecaster {
    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]] {
        origins.map { [Double](repeating: series.filled[$0 - 1], count: horizon) }
    }
}

struct SeasonalNaiveForecaster: RollingForecaster {
    let period: Int
    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]] {
        origins.map { origin in (0..<horizon).map { series.filled[origin - period + $0 % period] } }
    }
}

struct ClimatologyForecaster: RollingForecaster {
    let window: Int
    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]] {
        origins.map { [Double](repeating: series.mean(before: $0, window: window), count: horizon) }
    }
}

/// The last value's departure from the recent normal, decaying: ŷ(t+h) = c(t+h) + w_h·(y_t − c(t)),
/// where the normal c is the trailing mean plus the shortest cycle's profile over the same
/// window (the hour-of-day shape of PM2.5), and w_h is fitted by least squares afresh at each
/// origin on the steps before it (so the pull follows the season).
struct BlendForecaster: RollingForecaster {
    let window: Int
    /// The shortest cycle (1: no profile).
    let period: Int
    let fitWindow: Int

    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]] {
        origins.map { origin in
            let profile = profile(series, before: origin)
            let weights = weights(series, before: origin, profile: profile, horizon: horizon)
            let centre = series.mean(before: origin, window: window)
            let departure = series.filled[origin - 1] - (centre + profile[(origin - 1) % period])
            return (0..<horizon).map { centre + profile[(origin + $0) % period] + weights[$0] * departure }
        }
    }

    /// Each cycle position's mean departure from the window's mean (zeros without a cycle).
    func profile(_ series: PreparedSeries, before origin: Int) -> [Double] {
        guard period > 1 else { return [0] }
        let centre = series.mean(before: origin, window: window)
        var sums = [Double](repeating: 0, count: period), counts = [Double](repeating: 0, count: period)
        for index in max(0, origin - window)..<origin {
            guard let value = series.raw[index] else { continue }
            sums[index % period] += value - centre
            counts[index % period] += 1
        }
        return zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
    }

    /// w_h = Σ(y(t+h) − c(t+h))(y(t−1) − c(t−1)) / Σ(y(t−1) − c(t−1))² over the fit window, held to 0…1.
    func weights(_ series: PreparedSeries, before origin: Int, profile: [Double], horizon: Int) -> [Double] {
        var products = [Double](repeating: 0, count: horizon), squares = [Double](repeating: 0, count: horizon)
        for t in max(1, origin - fitWindow)..<origin {
            let centre = series.mean(before: t, window: window)
            let departure = series.filled[t - 1] - (centre + profile[(t - 1) % period])
            for step in 0..<horizon where t + step < origin {
                guard let actual = series.raw[t + step] else { continue }
                products[step] += (actual - centre - profile[(t + step) % period]) * departure
                squares[step] += departure * departure
            }
        }
        return zip(products, squares).map { $1 > 0 ? min(1, max(0, $0 / $1)) : 1 }
    }
}

struct HoltWintersForecaster: RollingForecaster {
    let model: HoltWinters
    /// Where the model's run starts (the start of its fitting window).
    let start: Int

    func forecasts(_ series: PreparedSeries, origins: [Int], horizon: Int) -> [[Double]] {
        model.rollingForecasts(Array(series.raw[start...]), origins: origins.map { $0 - start }, horizon: horizon)
    }
}

extension ForecastMethod {
    /// The method fitted on the steps before `origin` (at most the setup's fit window); nil when
    /// there is too little history for it.
    func fitted(_ series: PreparedSeries, before origin: Int, setup: ForecastSetup, horizon: Int) -> (
        any RollingForecaster
    )? {
        let shortest = setup.periods.first ?? 1
        let start = max(0, origin - setup.fitWindow)
        switch self {
        case .persistence:
            return origin >= 1 ? PersistenceForecaster() : nil
        case .seasonalNaive:
            return origin >= shortest ? SeasonalNaiveForecaster(period: shortest) : nil
        case .climatology:
            return origin >= 1 ? ClimatologyForecaster(window: setup.climatologyWindow) : nil
        case .blend:
            return origin >= 2
                ? BlendForecaster(
                    window: setup.climatologyWindow, period: setup.climatologyWindow >= 4 * shortest ? shortest : 1,
                    fitWindow: setup.fitWindow) : nil
        case .holtWinters:
            guard origin - start >= setup.minimumTraining,
                let model = HoltWinters.fit(Array(series.raw[start..<origin]), periods: setup.periods)
            else { return nil }
            return HoltWintersForecaster(model: model, start: start)
        }
    }
}
