import Foundation

extension ContextSubscription {
    /// The members a subscription document may have. Others (`geoQ`, `expiresAt`, `throttling`,
    /// `temporalQ` …) are refused rather than ignored: a subscriber relying on one
    /// would otherwise be notified otherwise than asked.
    static let members: Set<String> = [
        "id", "type", "name", "subscriptionName", "description", "entities", "watchedAttributes", "q", "timeInterval",
        "notification", "isActive", "@context",
    ]

    private struct Document: Decodable {
        struct EntitySelector: Decodable { var type: String?, id: String?, idPattern: String? }
        struct Notification: Decodable {
            struct Endpoint: Decodable { var uri: String, accept: String? }
            var attributes: [String]?
            var format: String?
            var endpoint: Endpoint
        }
        var id: String?
        var type: String?
        var name: String?
        var subscriptionName: String?
        var description: String?
        var entities: [EntitySelector]?
        var watchedAttributes: [String]?
        var q: String?
        var timeInterval: Double?
        var isActive: Bool?
        var notification: Notification
    }

    /// Reads and checks a subscription document as an NGSI-LD client sends it.
    public static func read(_ body: Data) throws -> ContextSubscription {
        func refuse(_ message: String) -> DomainError {
            DomainError(.invalid, code: "invalid_subscription", message)
        }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw refuse("The body is a JSON object: an NGSI-LD Subscription.")
        }
        if let other = object.keys.sorted().first(where: { !members.contains($0) }) {
            throw refuse("\(other) is not supported here; leave it out.")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: body)
        } catch {
            throw refuse("Not a subscription: notification.endpoint.uri is required and members have NGSI-LD's types.")
        }
        guard document.type == nil || document.type == "Subscription" else { throw refuse("type is Subscription.") }
        guard document.id == nil else { throw refuse("The broker names subscriptions: leave id out.") }
        guard document.isActive ?? true else { throw refuse("A subscription starts active here.") }
        var selectors: [Selector] = []
        for selector in document.entities ?? [] {
            var type: ContextEntityType?
            if let name = selector.type {
                guard let known = ContextEntityType(rawValue: name) else {
                    throw refuse("Entity type \(name) is not served here: Device or Alarm.")
                }
                type = known
            }
            guard type != nil || selector.id != nil || selector.idPattern != nil else {
                throw refuse("An entity selector names a type, an id or an idPattern.")
            }
            if let pattern = selector.idPattern, !ContextPattern.isAcceptable(pattern) {
                throw refuse(ContextPattern.rule)
            }
            selectors.append(Selector(type: type, id: selector.id, idPattern: selector.idPattern))
        }
        guard !selectors.isEmpty || !(document.watchedAttributes ?? []).isEmpty else {
            throw refuse("Name entities or watchedAttributes.")
        }
        let timeInterval = try document.timeInterval.map { seconds in
            guard let whole = Int(exactly: seconds), timeIntervals.contains(whole) else {
                throw refuse(
                    "timeInterval is whole seconds from \(timeIntervals.lowerBound) to \(timeIntervals.upperBound).")
            }
            guard document.watchedAttributes == nil else {
                throw refuse("timeInterval and watchedAttributes cannot both be given: periodic or on change.")
            }
            guard !selectors.isEmpty else { throw refuse("A periodic subscription names its entities.") }
            return whole
        }
        guard selectors.count <= 20, (document.watchedAttributes ?? []).count <= 50,
            (document.notification.attributes ?? []).count <= 50
        else { throw refuse("At most 20 entity selectors and 50 attributes.") }
        // Some clients (ngsildclient) percent-encode q in the body, as it would go in a URL.
        let q = document.q.map { $0.contains("%") ? ($0.removingPercentEncoding ?? $0) : $0 }
        if let q {
            do { _ = try ContextQuery.parse(q) } catch let error as ContextQueryError { throw refuse(error.message) }
        }
        let notification = document.notification
        let format = try notification.format.map {
            guard let format = ContextFormat(rawValue: $0 == "simplified" ? "keyValues" : $0) else {
                throw refuse("notification.format is normalized or keyValues.")
            }
            return format
        }
        let accept = notification.endpoint.accept ?? "application/json"
        guard accept == "application/json" || accept == "application/ld+json" else {
            throw refuse("notification.endpoint.accept is application/json or application/ld+json.")
        }
        guard WebhookPolicy.isAcceptable(url: notification.endpoint.uri) else {
            throw refuse("notification.endpoint.uri is an absolute http or https URL of at most 500 characters.")
        }
        let name = document.subscriptionName ?? document.name
        guard (name?.count ?? 0) <= 200, (document.description?.count ?? 0) <= 1000 else {
            throw refuse("A name is at most 200 characters and a description 1,000.")
        }
        return ContextSubscription(
            name: name, description: document.description, entities: selectors,
            watchedAttributes: document.watchedAttributes, q: q, attributes: notification.attributes,
            format: format ?? .normalized, endpoint: notification.endpoint.uri, accept: accept,
            timeInterval: timeInterval)
    }
}
