import Foundation

/// What an NGSI-LD subscription asks for: which entities (by type, id or id pattern), which
/// attribute changes (`watchedAttributes`) or how often (`timeInterval`), which states (`q`), and
/// how to notify (the endpoint, the attributes and the format). It rides on a `Subscription` of
/// topic `ngsi-ld`, so its notifications go through the same outbox, signing, retries, dead
/// letters and replay.
public struct ContextSubscription: Codable, Sendable, Equatable {
    public struct Selector: Codable, Sendable, Equatable {
        public var type: ContextEntityType?
        public var id: String?
        public var idPattern: String?

        public init(type: ContextEntityType?, id: String? = nil, idPattern: String? = nil) {
            (self.type, self.id, self.idPattern) = (type, id, idPattern)
        }

        func matches(_ entity: ContextEntity) -> Bool {
            if let type, type != entity.type { return false }
            if let id, id != entity.id { return false }
            return idPattern.map { ContextPattern.wholeMatch($0, entity.id) } ?? true
        }
    }

    public var name: String?
    public var description: String?
    public var entities: [Selector]
    public var watchedAttributes: [String]?
    public var q: String?
    /// The attributes a notification carries (all when nil).
    public var attributes: [String]?
    public var format: ContextFormat
    public var endpoint: String
    /// `application/ld+json` puts the @context in each notified entity.
    public var accept: String
    /// Seconds between periodic notifications of every matching entity as it stands (NGSI-LD's
    /// `timeInterval`): how a subscriber hears the devices' readings, which change too often to
    /// notify one by one. Nil: notified on each change instead.
    public var timeInterval: Int? = nil

    /// The shortest and longest `timeInterval` taken, in seconds.
    public static let timeIntervals = 10...86_400

    public static let urnPrefix = "urn:ngsi-ld:Subscription:"

    /// The kinds of entity it can match.
    public var types: Set<ContextEntityType> {
        let named = entities.compactMap { $0.type ?? $0.id.flatMap(ContextEntityType.parse(id:))?.type }
        return named.count == entities.count && !named.isEmpty ? Set(named) : Set(ContextEntityType.allCases)
    }

    /// Whether a change of `entity` that touched `changed` (nil: every attribute, as when it
    /// appears) is one to notify. A periodic subscription matches no change: it hears everything
    /// at its own pace.
    public func matches(_ entity: ContextEntity, changed: Set<String>?) -> Bool {
        guard timeInterval == nil, entities.isEmpty || entities.contains(where: { $0.matches(entity) }) else {
            return false
        }
        if let watched = watchedAttributes, let changed, changed.isDisjoint(with: watched) { return false }
        if let q {
            guard let query = try? ContextQuery.parse(q), query.matches(entity) else { return false }
        }
        return true
    }

    /// The notification's body: NGSI-LD's `Notification` with the changed entity (or, for a
    /// periodic one, the entities as they stand).
    public func notification(id: String, subscriptionId: String, entities: [ContextEntity], at now: Int64) -> String {
        let data = entities.map {
            $0.json(format, attributes: attributes.map { Set($0) }, withContext: accept == "application/ld+json")
        }
        return JSONText.object([
            ("id", JSONText.quoted("urn:ngsi-ld:Notification:\(id)")), ("type", JSONText.quoted("Notification")),
            ("subscriptionId", JSONText.quoted(Self.urnPrefix + subscriptionId)),
            ("notifiedAt", JSONText.quoted(NGSILD.dateTime(now))), ("data", "[" + data.joined(separator: ",") + "]"),
        ])
    }

    /// Whether a periodic subscription is due at `now`, last notified at `last` (nil: never),
    /// sweeps coming every `tick` ms: due from half a tick before its interval is over, so a
    /// sweep's own lateness does not push each notification a whole tick later.
    public func isDue(lastNotifiedAt last: Int64?, at now: Int64, tick: Int64) -> Bool {
        guard let timeInterval else { return false }
        guard let last else { return true }
        return now - last >= Int64(timeInterval) * 1000 - tick / 2
    }

    /// The entities a periodic notification carries, as a query: its selectors and `q`; the ids
    /// themselves when every selector names one (looked up rather than scanned for).
    public func query(offset: Int, limit: Int) throws -> ContextEntityQuery {
        let ids = entities.compactMap(\.id)
        var query = ContextEntityQuery(
            types: ContextEntityType.allCases.filter(types.contains), ids: ids.count == entities.count ? ids : nil,
            q: try q.map(ContextQuery.parse), offset: offset, limit: limit)
        query.selectors = entities
        return query
    }

    /// The subscription as NGSI-LD shows it.
    public func document(id: String, active: Bool, withContext: Bool) -> String {
        var members = [("id", JSONText.quoted(Self.urnPrefix + id)), ("type", JSONText.quoted("Subscription"))]
        if let name { members.append(("subscriptionName", JSONText.quoted(name))) }
        if let description { members.append(("description", JSONText.quoted(description))) }
        if !entities.isEmpty {
            let selectors = entities.map { selector in
                JSONText.object(
                    [
                        selector.id.map { ("id", JSONText.quoted($0)) },
                        selector.idPattern.map { ("idPattern", JSONText.quoted($0)) },
                        selector.type.map { ("type", JSONText.quoted($0.rawValue)) },
                    ].compactMap { $0 })
            }
            members.append(("entities", "[" + selectors.joined(separator: ",") + "]"))
        }
        if let watchedAttributes {
            members.append(("watchedAttributes", ContextValue.texts(watchedAttributes).json))
        }
        if let q { members.append(("q", JSONText.quoted(q))) }
        if let timeInterval { members.append(("timeInterval", String(timeInterval))) }
        var notification = [("format", JSONText.quoted(format.rawValue))]
        if let attributes { notification.append(("attributes", ContextValue.texts(attributes).json)) }
        notification.append(
            ("endpoint", JSONText.object([("uri", JSONText.quoted(endpoint)), ("accept", JSONText.quoted(accept))])))
        members.append(("notification", JSONText.object(notification)))
        members.append(("isActive", active ? "true" : "false"))
        members.append(("status", JSONText.quoted(active ? "active" : "paused")))
        if withContext { members.append(("@context", JSONText.quoted(NGSILD.coreContext))) }
        return JSONText.object(members)
    }
}
