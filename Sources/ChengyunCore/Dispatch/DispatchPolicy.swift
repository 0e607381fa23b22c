/// What administrators decide about learned dispatch: whether a filed case the routing rules do
/// not cover goes out on the model's word, the confidence it must reach, and how fast old cases
/// fade from what the model learns.
public struct DispatchPolicy: Codable, Sendable, Equatable {
    /// Dispatch a filed case at once when no routing rule covers it and the model's best
    /// department reaches `threshold`.
    public var autoDispatch: Bool
    public var threshold: Double
    /// An example this many days old weighs half (`DispatchModel.Settings.halfLifeDays`).
    public var halfLifeDays: Double

    public init(
        autoDispatch: Bool = true, threshold: Double = DispatchModel.defaultThreshold, halfLifeDays: Double = 365
    ) {
        self.autoDispatch = autoDispatch
        self.threshold = threshold
        self.halfLifeDays = halfLifeDays
    }

    public func validate() throws {
        var validator = Validator()
        validator.check(
            threshold >= 0.5 && threshold <= 1, "threshold", "invalid_value",
            "Between 0.5 and 1: below half the model may be right less often than wrong.")
        validator.check(
            halfLifeDays >= 7 && halfLifeDays <= 3650, "halfLifeDays", "invalid_value", "Between 7 and 3650 days.")
        try validator.finish()
    }

    public var modelSettings: DispatchModel.Settings { DispatchModel.Settings(halfLifeDays: halfLifeDays) }
}
