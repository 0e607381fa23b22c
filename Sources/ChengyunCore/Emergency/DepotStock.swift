/// A depot's stock of one material (物资储备: sandbags, life jackets, tents, drinking water…).
public struct StockLine: Codable, Equatable, Sendable {
    public var depotId: String
    /// A material code in lower case, e.g. `sandbag`.
    public var material: String
    /// How it is counted, e.g. 袋, 件, 顶.
    public var unit: String
    public var quantity: Double
    public var updatedAt: Int64

    public init(depotId: String, material: String, unit: String, quantity: Double, updatedAt: Int64) {
        self.depotId = depotId
        self.material = material
        self.unit = unit
        self.quantity = quantity
        self.updatedAt = updatedAt
    }
}

/// How depot stock moves (物资出入库): restocked by the registry keeper; issued to an incident,
/// never more than the depot holds; returned from an incident, never more than it was issued
/// and has not given back.
public enum StockMove: String, Codable, CaseIterable, Sendable {
    case restock
    case issue
    case giveBack

    /// The stock after the move, or the refusal. `outstanding` is what the incident holds of the
    /// material from this depot (issued less given back).
    public func apply(_ quantity: Double, to stock: Double, outstanding: Double = 0) throws(DomainError) -> Double {
        guard quantity.isFinite, quantity > 0, quantity <= 1e9 else {
            throw DomainError.validation([
                FieldIssue(field: "quantity", code: "invalid_value", message: "A positive quantity.")
            ])
        }
        switch self {
        case .restock:
            return stock + quantity
        case .issue:
            guard quantity <= stock else {
                throw DomainError(
                    .conflict, code: "insufficient_stock",
                    "The depot holds \(stock.plainText); \(quantity.plainText) cannot be issued.")
            }
            return stock - quantity
        case .giveBack:
            guard quantity <= outstanding else {
                throw DomainError(
                    .conflict, code: "over_return",
                    "The incident holds \(outstanding.plainText) from this depot; \(quantity.plainText) cannot be returned."
                )
            }
            return stock + quantity
        }
    }
}
