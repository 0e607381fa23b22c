/// One method's errors over the back-test's points.
public struct ForecastScore: Equatable, Sendable, Codable {
    public var method: ForecastMethod
    public var mae: Double
    public var rmse: Double
    /// MAE over the in-sample mean absolute one-step change before the first origin (Hyndman's
    /// MASE); nil when the series did not change there.
    public var mase: Double?
    /// Mean absolute percentage error, in percent; nil when every actual value was zero.
    public var mape: Double?
}

/// How well each forecast method would have done: a rolling-origin back-test over the end of a
/// series, every method fitted on the history before the first origin and then forecasting
/// `horizon` steps from each origin reading only the series before it. The method with the
/// lowest MAE is the one used; persistence, seasonal-naive and climatology always stand beside it.
public struct Backtest: Equatable, Sendable, Codable {
    public var horizon: Int
    public var origins: Int
    /// Steps between origins.
    public var spacing: Int
    /// Points compared (actual value present).
    public var points: Int
    /// Every method that could run, best (lowest MAE) first.
    public var scores: [ForecastScore]
    /// The method the back-test favours, and the one after it.
    public var method: ForecastMethod
    public var runnerUp: ForecastMethod?
    /// The chosen method's MAE is below persistence's (false when persistence itself is best:
    /// then no model beats holding the last value, and the page says so).
    public var beatsPersistence: Bool
    /// The chosen method's MAE and MAPE, and seasonal-naive's (the figures earlier versions gave).
    public var mae: Double
    public var mape: Double?
    public var naiveMae: Double
    public var naiveMape: Double?

    public func score(_ method: ForecastMethod) -> ForecastScore? { scores.first { $0.method == method } }

    /// At most `origins` origins, `setup.originSpacing` apart, the last one `horizon` steps
    /// before the end; the first leaves at least the setup's minimum training (and up to its fit
    /// window, or half the series) before it. Nil when there is no room for one origin.
    public static func run(_ series: [Double?], setup: ForecastSetup, horizon: Int, origins wanted: Int) -> Backtest? {
        guard horizon > 0, wanted > 0, let prepared = PreparedSeries(series) else { return nil }
        let training = max(setup.minimumTraining, min(setup.fitWindow, series.count / 2))
        let lastOrigin = series.count - horizon
        guard lastOrigin >= training else { return nil }
        let count = min(wanted, (lastOrigin - training) / setup.originSpacing + 1)
        let origins = (0..<count).reversed().map { lastOrigin - $0 * setup.originSpacing }
        let first = origins[0]
        let scale = Self.oneStepChange(prepared.raw, range: max(0, first - setup.fitWindow)..<first)
        var scores: [ForecastScore] = []
        var points = 0
        for method in ForecastMethod.allCases {
            guard let forecaster = method.fitted(prepared, before: first, setup: setup, horizon: horizon) else {
                continue
            }
            let predicted = forecaster.forecasts(prepared, origins: origins, horizon: horizon)
            guard let errors = Errors(series: prepared.raw, origins: origins, predicted: predicted, horizon: horizon)
            else { continue }
            points = errors.points
            scores.append(errors.score(method, scale: scale))
        }
        scores.sort {
            ($0.mae, ForecastMethod.allCases.firstIndex(of: $0.method)!) < (
                $1.mae, ForecastMethod.allCases.firstIndex(of: $1.method)!
            )
        }
        guard let best = scores.first, let persistence = scores.first(where: { $0.method == .persistence }) else {
            return nil
        }
        let naive = scores.first { $0.method == .seasonalNaive } ?? persistence
        return Backtest(
            horizon: horizon, origins: origins.count, spacing: setup.originSpacing, points: points, scores: scores,
            method: best.method, runnerUp: scores.dropFirst().first?.method,
            beatsPersistence: best.mae < persistence.mae,
            mae: best.mae, mape: best.mape, naiveMae: naive.mae, naiveMape: naive.mape)
    }

    /// The next `horizon` values after the whole series by `method`, fitted on its end.
    public static func forecast(_ series: [Double?], method: ForecastMethod, setup: ForecastSetup, horizon: Int)
        -> [Double]?
    {
        guard horizon > 0, let prepared = PreparedSeries(series),
            let forecaster = method.fitted(prepared, before: series.count, setup: setup, horizon: horizon)
        else { return nil }
        return forecaster.forecasts(prepared, origins: [series.count], horizon: horizon).first.flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    /// Mean absolute one-step change over the known neighbours in `range` (the MASE scale).
    static func oneStepChange(_ series: [Double?], range: Range<Int>) -> Double? {
        var sum = 0.0, counted = 0
        for index in range where index >= 1 {
            guard let value = series[index], let previous = series[index - 1] else { continue }
            sum += abs(value - previous)
            counted += 1
        }
        return counted > 0 && sum > 0 ? sum / Double(counted) : nil
    }

    /// Error sums over the points where the actual value is known.
    struct Errors {
        var absolute = 0.0, squared = 0.0, percent = 0.0
        var points = 0, percentPoints = 0

        init?(series: [Double?], origins: [Int], predicted: [[Double]], horizon: Int) {
            for (origin, values) in zip(origins, predicted) where values.count == horizon {
                for step in 0..<horizon where origin + step < series.count {
                    guard let actual = series[origin + step] else { continue }
                    let error = actual - values[step]
                    absolute += abs(error)
                    squared += error * error
                    points += 1
                    if actual != 0 {
                        percent += abs(error) / abs(actual)
                        percentPoints += 1
                    }
                }
            }
            guard points > 0 else { return nil }
        }

        func score(_ method: ForecastMethod, scale: Double?) -> ForecastScore {
            let mae = absolute / Double(points)
            return ForecastScore(
                method: method, mae: mae, rmse: (squared / Double(points)).squareRoot(), mase: scale.map { mae / $0 },
                mape: percentPoints == 0 ? nil : 100 * percent / Double(percentPoints))
        }
    }
}
