/// Several deliveries of one subscription in one webhook POST, for a receiver that asked for it
/// (`Subscription.batchSize` above 1): a burst of changes then costs a request per batch, not per
/// change. The body is `{"deliveries":[{"id":…,"topic":…,"change":<the delivery's own body>},…]}`
/// in the subscription's order, signed as a whole like a single delivery's; each element keeps
/// its own id, so a receiver applies each change once by id, as it does single deliveries.
public enum WebhookBatch {
    /// The largest batch a subscription may ask for: a POST of at most a few hundred changes.
    public static let maxSize = 500

    /// One element: the delivery's id, topic and body (JSON text already).
    public struct Item: Sendable, Equatable {
        public var id: String
        public var topic: String
        public var body: String

        public init(id: String, topic: String, body: String) { (self.id, self.topic, self.body) = (id, topic, body) }
    }

    public static func body(_ items: [Item]) -> String {
        // Written into one string: a batch of a few hundred changes is built for each subscriber.
        var out = "{\"deliveries\":["
        out.reserveCapacity(items.reduce(24) { $0 + $1.id.utf8.count + $1.topic.utf8.count + $1.body.utf8.count + 32 })
        for (n, item) in items.enumerated() {
            out += n == 0 ? "{\"id\":\"" : ",{\"id\":\""
            JSONText.append(item.id, to: &out)
            out += "\",\"topic\":\""
            JSONText.append(item.topic, to: &out)
            out += "\",\"change\":"
            out += item.body
            out += "}"
        }
        return out + "]}"
    }

    /// A subscription's due deliveries cut into the POSTs that carry them, in order.
    public static func chunks<T>(_ queue: [T], size: Int) -> [ArraySlice<T>] {
        let size = max(1, size)
        return stride(from: 0, to: queue.count, by: size).map { queue[$0..<min($0 + size, queue.count)] }
    }
}
