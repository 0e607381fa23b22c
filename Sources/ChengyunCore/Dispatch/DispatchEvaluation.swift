/// How well a dispatch model routes cases it has not seen: the older share of closed cases
/// teaches, the newer share is routed in filing order and compared with the department that
/// really handled each. The same measure backs `chengyun bench routing` and the held-out accuracy
/// recorded with every trained model version.
public struct DispatchEvaluation: Sendable, Codable, Equatable {
    /// A case to replay: what the model learns from it, and when it closed (nil: still open, so
    /// never a lesson).
    public struct Case: Sendable {
        public var example: DispatchExample
        public var closedAt: Int64?
        public init(example: DispatchExample, closedAt: Int64?) {
            self.example = example
            self.closedAt = closedAt
        }
    }

    public var cases = 0
    public var correct = 0
    public var topThree = 0
    /// Cases whose best suggestion reached the threshold, and of those the right ones.
    public var auto = 0
    public var autoCorrect = 0
    public var threshold: Double
    /// Models trained during the replay (one, or one per retraining period).
    public var trainings = 0

    public var accuracy: Double { share(correct, of: cases) }
    public var topThreeAccuracy: Double { share(topThree, of: cases) }
    public var autoPrecision: Double { share(autoCorrect, of: auto) }
    public var autoCoverage: Double { share(auto, of: cases) }

    private func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

    /// Splits `cases` by filing time: the oldest `trainShare` teach, the rest are routed. With
    /// `retrainEvery` (milliseconds) the model is trained again every period on every case closed
    /// by then, as the platform's schedule does; it only ever knows cases closed before the moment
    /// it was trained. Without, it is trained once on every older case (closed or not), as a
    /// lookup table built from the same rows would be.
    public static func replay(
        _ cases: [Case], trainShare: Double = 0.7, retrainEvery: Int64?, threshold: Double,
        settings: DispatchModel.Settings = .init()
    ) -> DispatchEvaluation {
        let sorted = cases.sorted { $0.example.at < $1.example.at }
        let cut = Int(Double(sorted.count) * trainShare)
        let (older, newer) = (sorted[..<cut], sorted[cut...])
        var evaluation = DispatchEvaluation(threshold: threshold)
        guard let first = newer.first else { return evaluation }
        // Lessons in the order they become known.
        let lessons = sorted.compactMap { c in c.closedAt.map { (closedAt: $0, example: c.example) } }
            .sorted { $0.closedAt < $1.closedAt }
        var known = 0
        func train(at now: Int64) -> DispatchModel {
            evaluation.trainings += 1
            guard retrainEvery != nil else {
                return DispatchModel.train(older.map(\.example), at: now, settings: settings)
            }
            while known < lessons.count && lessons[known].closedAt <= now { known += 1 }
            return DispatchModel.train(lessons[..<known].map(\.example), at: now, settings: settings)
        }
        var model = train(at: first.example.at)
        for c in newer {
            if let period = retrainEvery, c.example.at >= model.trainedAt + period { model = train(at: c.example.at) }
            evaluation.note(model.suggest(c.example.facts), truth: c.example.departmentId)
        }
        return evaluation
    }

    mutating func note(_ suggestions: [DispatchModel.Suggestion], truth: String) {
        cases += 1
        if suggestions.first?.departmentId == truth { correct += 1 }
        if suggestions.prefix(3).contains(where: { $0.departmentId == truth }) { topThree += 1 }
        if let best = suggestions.first, best.confidence >= threshold {
            auto += 1
            if best.departmentId == truth { autoCorrect += 1 }
        }
    }
}
