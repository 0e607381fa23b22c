/// How well a forecast would have done: a rolling-origin back-test over the end of a series,
/// beside the seasonal-naive baseline (the last observed shortest cycle repeated), so a forecast
/// is shown with its error and with what "no model" would have scored.
public struct Backtest: Equatable, Sendable, Codable {
    public var horizon: Int
    public var origins: Int
    /// Points compared (actual value present, and not zero for the percentage errors).
    public var points: Int
    /// Mean absolute percentage error, in percent; nil when every actual value was zero.
    public var mape: Double?
    public var mae: Double
    public var naiveMape: Double?
    public var naiveMae: Double

    /// Fits once on everything before the first origin, then forecasts `horizon` steps from each
    /// of `origins` cut points spaced `horizon` apart, reading the series up to each one.
    public static func run(_ series: [Double?], periods: [Int], horizon: Int, origins: Int) -> (Backtest, HoltWinters)? {
        let first = series.count - horizon * origins
        let shortest = periods.min() ?? 1
        guard horizon > 0, origins > 0, first >= HoltWinters.minimumLength(periods: periods),
              let model = HoltWinters.fit(Array(series.prefix(first)), periods: periods) else { return nil }
        var absolute = 0.0, naiveAbsolute = 0.0, counted = 0
        var percent = 0.0, naivePercent = 0.0, percentCounted = 0
        for origin in stride(from: first, to: series.count, by: horizon) {
            let predicted = model.forecast(Array(series.prefix(origin)), horizon: horizon)
            for step in 0..<horizon where origin + step < series.count {
                let naiveIndex = origin - shortest + step % shortest
                guard let actual = series[origin + step], let naive = series[naiveIndex] else { continue }
                absolute += abs(actual - predicted[step])
                naiveAbsolute += abs(actual - naive)
                counted += 1
                if actual != 0 {
                    percent += abs(actual - predicted[step]) / abs(actual)
                    naivePercent += abs(actual - naive) / abs(actual)
                    percentCounted += 1
                }
            }
        }
        guard counted > 0 else { return nil }
        let share = { (sum: Double) -> Double? in percentCounted == 0 ? nil : 100 * sum / Double(percentCounted) }
        return (Backtest(horizon: horizon, origins: origins, points: counted, mape: share(percent), mae: absolute / Double(counted),
                         naiveMape: share(naivePercent), naiveMae: naiveAbsolute / Double(counted)), model)
    }
}
