/// A JSON request body whose top-level fields are fixed: the API rejects any other field, so a
/// misspelt field is an error instead of being silently dropped.
public protocol StrictInput: Decodable, Sendable {
    associatedtype Fields: CodingKey & CaseIterable
}

extension StrictInput {
    public static var allowedFields: Set<String> { Set(Fields.allCases.map(\.stringValue)) }
}
