/// Additive Holt-Winters with a damped trend and one or two seasonal cycles (Taylor's double
/// seasonal method: for hourly data a day of 24 and a week of 168), for indicator values and case
/// volumes. Gaps (nil) are bridged with the model's own one-step forecast, so sensor outages do
/// not break the series.
///
///     ŷ(t+h) = ℓ(t) + (φ + … + φʰ)·b(t) + s₁(t+h−m₁) + s₂(t+h−m₂)
///     ℓ(t) = α·(y − s₁ − s₂) + (1−α)·(ℓ + φb)        b(t) = β·(ℓ(t) − ℓ) + (1−β)·φb
///     s₁(t) = γ₁·(y − ℓ(t) − s₂) + (1−γ₁)·s₁          s₂(t) = γ₂·(y − ℓ(t) − s₁) + (1−γ₂)·s₂
public struct HoltWinters: Equatable, Sendable {
    public struct Parameters: Equatable, Sendable, Codable {
        public var alpha: Double
        public var beta: Double
        public var phi: Double
        public var gammas: [Double]
        public init(alpha: Double, beta: Double, phi: Double, gammas: [Double]) {
            self.alpha = alpha
            self.beta = beta
            self.phi = phi
            self.gammas = gammas
        }
    }

    /// Seasonal cycle lengths in steps, shortest first (e.g. [24, 168] for hours; [7] for days).
    public let periods: [Int]
    public let parameters: Parameters
    /// Mean squared one-step error over the series it was fitted to (after the first cycles).
    public let fitError: Double

    /// The state after reading a series: level, trend and the seasonal terms of each cycle.
    struct State {
        var level: Double
        var trend: Double
        var seasons: [[Double]]
        var step: Int // the index of the next observation

        func forecast(_ h: Int, periods: [Int], phi: Double) -> Double {
            var damped = 0.0, power = 1.0
            for _ in 0..<h { power *= phi; damped += power }
            var value = level + damped * trend
            for (cycle, m) in periods.enumerated() { value += seasons[cycle][(step + h - 1) % m] }
            return value
        }
    }

    /// The fewest observations a fit needs: two of the longest cycle.
    public static func minimumLength(periods: [Int]) -> Int { 2 * (periods.max() ?? 1) }

    /// Fits by grid search on the one-step squared error; nil when the series is too short or
    /// has too few values (over half missing).
    public static func fit(_ series: [Double?], periods: [Int]) -> HoltWinters? {
        let periods = periods.sorted()
        guard !periods.isEmpty, periods.allSatisfy({ $0 >= 2 }), series.count >= minimumLength(periods: periods),
            series.compactMap({ $0 }).count * 2 >= series.count
        else { return nil }
        let gammaGrid = [0.01, 0.05, 0.15, 0.3]
        var gammaSets: [[Double]] = [[]]
        for _ in periods { gammaSets = gammaSets.flatMap { set in gammaGrid.map { set + [$0] } } }
        var best: HoltWinters?
        for alpha in [0.05, 0.15, 0.3, 0.5, 0.7, 0.9] {
            for (beta, phi) in [(0.0, 1.0), (0.05, 1.0), (0.02, 0.98), (0.1, 0.9)] {
                for gammas in gammaSets {
                    let parameters = Parameters(alpha: alpha, beta: beta, phi: phi, gammas: gammas)
                    let (_, error) = run(series, periods: periods, parameters: parameters)
                    if error < best?.fitError ?? .infinity {
                        best = HoltWinters(periods: periods, parameters: parameters, fitError: error)
                    }
                }
            }
        }
        return best
    }

    public init(periods: [Int], parameters: Parameters, fitError: Double = .nan) {
        (self.periods, self.parameters, self.fitError) = (periods.sorted(), parameters, fitError)
    }

    /// The next `horizon` values after `series`.
    public func forecast(_ series: [Double?], horizon: Int) -> [Double] {
        guard series.count >= Self.minimumLength(periods: periods), horizon > 0 else { return [] }
        let (state, _) = Self.run(series, periods: periods, parameters: parameters)
        return (1...horizon).map { state.forecast($0, periods: periods, phi: parameters.phi) }
    }

    /// `horizon` values from each origin (ascending indexes into `series`; each forecast reads
    /// only the steps before its origin), in one pass over the series.
    public func rollingForecasts(_ series: [Double?], origins: [Int], horizon: Int) -> [[Double]] {
        guard let last = origins.last, horizon > 0 else { return [] }
        var wanted = Set(origins), found: [Int: [Double]] = [:]
        let (periods, phi) = (self.periods, parameters.phi)
        let (final, _) = Self.run(Array(series.prefix(last)), periods: periods, parameters: parameters) { t, state in
            if wanted.remove(t) != nil {
                found[t] = (1...horizon).map { state.forecast($0, periods: periods, phi: phi) }
            }
        }
        if wanted.contains(last) { found[last] = (1...horizon).map { final.forecast($0, periods: periods, phi: phi) } }
        return origins.map { found[$0] ?? [] }
    }

    /// Starting values from the first two longest cycles: the trend from the change between their
    /// means, the level where that line stands just before the first step, and each cycle's terms
    /// the mean deviation from the line at each of its positions (the shorter cycle first, the
    /// longer one from what the shorter leaves).
    static func initial(_ series: [Double?], periods: [Int]) -> State {
        let longest = periods.max() ?? 1
        let head = Array(series.prefix(2 * longest))
        let mean = { (part: ArraySlice<Double?>) -> Double? in
            let known = part.compactMap { $0 }
            return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
        }
        let first = mean(head.prefix(longest)), second = mean(head.suffix(longest))
        let trend = first.flatMap { a in second.map { b in (b - a) / Double(longest) } } ?? 0
        let centre = mean(head[...]) ?? 0
        let middle = Double(head.count - 1) / 2
        let line = { (index: Int) -> Double in centre + trend * (Double(index) - middle) }
        var seasons: [[Double]] = []
        for m in periods {
            var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
            for (index, value) in head.enumerated() {
                guard let value else { continue }
                var rest = value - line(index)
                for (cycle, previous) in seasons.enumerated() { rest -= previous[index % periods[cycle]] }
                sums[index % m] += rest
                counts[index % m] += 1
            }
            seasons.append(zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 })
        }
        return State(level: line(-1), trend: trend, seasons: seasons, step: 0)
    }

    /// Reads the whole series; the state after it and the mean squared one-step error (counted
    /// after the first longest cycle, once the terms have settled).
    static func run(
        _ series: [Double?], periods: [Int], parameters p: Parameters,
        before: (_ t: Int, _ state: State) -> Void = { _, _ in }
    ) -> (State, Double) {
        var state = initial(series, periods: periods)
        var squared = 0.0, counted = 0
        let settle = periods.max() ?? 0
        for (t, observed) in series.enumerated() {
            before(t, state)
            let predicted = state.forecast(1, periods: periods, phi: p.phi)
            let y = observed ?? predicted
            if observed != nil && t >= settle {
                squared += (y - predicted) * (y - predicted)
                counted += 1
            }
            let positions = periods.map { t % $0 }
            let seasonal = zip(state.seasons, positions).map { $0[$1] }
            let allSeasons = seasonal.reduce(0, +)
            let previousLevel = state.level
            state.level = p.alpha * (y - allSeasons) + (1 - p.alpha) * (previousLevel + p.phi * state.trend)
            state.trend = p.beta * (state.level - previousLevel) + (1 - p.beta) * p.phi * state.trend
            for cycle in periods.indices {
                let others = allSeasons - seasonal[cycle]
                state.seasons[cycle][positions[cycle]] =
                    p.gammas[cycle] * (y - state.level - others) + (1 - p.gammas[cycle]) * seasonal[cycle]
            }
            state.step = t + 1
        }
        return (state, counted == 0 ? .infinity : squared / Double(counted))
    }
}
