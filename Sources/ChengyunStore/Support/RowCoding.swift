import SQLKit

/// Rows map to Swift structs by snake_case ↔ camelCase; nil is written as NULL so updates clear
/// columns too.
let rowDecoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
let rowEncoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)

extension SQLPredicateBuilder {
    /// Limits a query to records whose `column` (an area path) lies in the given scope; no scope
    /// means no limit (the platform itself, the CLI).
    func inScope(_ path: String?, column: String = "area_path") -> Self {
        guard let path else { return self }
        return self.where(SQLIdentifier(column), .like, SQLBind(path + "%"))
    }
}
