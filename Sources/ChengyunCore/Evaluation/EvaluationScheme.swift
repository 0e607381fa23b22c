/// The comprehensive evaluation (综合评价) an administrator chooses: indicators of the tree and
/// their weights. An area's score is the weighted mean of the chosen indicators' values (0–100
/// scores), over those that have a value; the default scheme weighs the five city dimensions —
/// clean, tidy, orderly, safe, people satisfied — equally.
public struct EvaluationScheme: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public var indicatorCode: String
        public var weight: Double
        public init(indicatorCode: String, weight: Double) {
            self.indicatorCode = indicatorCode
            self.weight = weight
        }
    }

    public var items: [Item]

    public init(items: [Item]) { self.items = items }

    public static let standard = EvaluationScheme(
        items: ["city.clean", "city.tidy", "city.order", "city.safe", "city.satisfied"].map {
            Item(indicatorCode: $0, weight: 20)
        })

    /// Checks the weights, and that every indicator is one of `known`.
    public func validate(known: Set<String>) throws {
        var validator = Validator()
        validator.check(!items.isEmpty, "items", "required", "Choose at least one indicator.")
        validator.check(
            Set(items.map(\.indicatorCode)).count == items.count, "items", "duplicate", "Each indicator once.")
        for (index, item) in items.enumerated() {
            validator.check(
                item.weight > 0 && item.weight.isFinite, "items[\(index)].weight", "invalid_value",
                "A weight above zero.")
            validator.check(
                known.contains(item.indicatorCode), "items[\(index)].indicatorCode", "unknown_indicator",
                "\(item.indicatorCode) is not in the indicator tree.")
        }
        try validator.finish()
    }

    /// The weighted mean over the indicators that have a value; nil when none has.
    public func score(_ values: [String: Double?]) -> Double? {
        var total = 0.0, weights = 0.0
        for item in items {
            guard let value = values[item.indicatorCode] ?? nil else { continue }
            total += item.weight * value
            weights += item.weight
        }
        return weights == 0 ? nil : total / weights
    }
}
