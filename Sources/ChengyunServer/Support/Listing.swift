/// A JSON list answer: `{"items": […]}`.
struct Listing<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
}
