import Foundation

/// A query for entities, as `GET /ngsi-ld/v1/entities` or `POST …/entityOperations/query` asks:
/// types, ids or an id pattern, `q`, a geo-query, and a page by `offset` and `limit`.
public struct ContextEntityQuery: Sendable, Equatable {
    /// The types asked for, in the order they are listed; nil for every type (a `q` or attribute
    /// query without a type). A type the door does not serve is not an error: it matches nothing.
    public var types: [ContextEntityType]?
    public var ids: [String]?
    public var idPattern: String?
    /// A batch query's entity selectors: an entity matches when one of them does.
    public var selectors: [ContextSubscription.Selector]?
    public var q: ContextQuery?
    public var geo: ContextGeoQuery?
    /// Entities that have at least one of these attributes; and only these are rendered.
    public var attributes: [String]?
    public var offset: Int
    public var limit: Int
    public var count: Bool

    public static let defaultLimit = 20
    public static let maxLimit = 1000

    public init(
        types: [ContextEntityType]?, ids: [String]? = nil, idPattern: String? = nil, q: ContextQuery? = nil,
        geo: ContextGeoQuery? = nil, attributes: [String]? = nil, offset: Int = 0, limit: Int = defaultLimit,
        count: Bool = false
    ) {
        (self.types, self.ids, self.idPattern, self.q, self.geo) = (types, ids, idPattern, q, geo)
        (self.attributes, self.offset, self.limit, self.count) = (attributes, offset, limit, count)
    }

    /// The keys (device codes or alarm ids) the ids name of `type`; nil when no ids are named.
    public func keys(of type: ContextEntityType) -> [String]? {
        ids.map { $0.compactMap { ContextEntityType.parse(id: $0) }.filter { $0.type == type }.map(\.key) }
    }

    /// Whether the entity is one the query asks for (its type and scope are the caller's to check).
    public func admits(_ entity: ContextEntity) -> Bool {
        if let ids, !ids.contains(entity.id) { return false }
        if let idPattern, !ContextPattern.wholeMatch(idPattern, entity.id) { return false }
        if let selectors, !selectors.isEmpty, !selectors.contains(where: { $0.matches(entity) }) { return false }
        if let attributes, !attributes.contains(where: { entity.attribute($0) != nil }) { return false }
        if let geo {
            guard let location = entity.location, geo.matches(location) else { return false }
        }
        return q?.matches(entity) ?? true
    }

    /// Whether deciding needs the devices' readings (`q` or `attrs` naming a metric, or the two
    /// attributes the readings make: the metrics listed and when the last came).
    public var needsReadings: Bool {
        let named = (q?.attributeNames ?? []).union(attributes ?? [])
        return !named.isSubset(
            of: ContextEntity.deviceAttributes.subtracting(["controlledProperty", "dateLastValueReported"]))
    }
}

/// Collects one page of matches, counting on past it when the total is asked for.
public struct ContextPage: Sendable {
    public let offset: Int
    public let limit: Int
    public let counting: Bool
    public private(set) var matched = 0
    /// The page, in scan order.
    public var entities: [ContextEntity] = []

    public init(offset: Int, limit: Int, counting: Bool) {
        (self.offset, self.limit, self.counting) = (offset, limit, counting)
    }

    /// Whether more matches can change the answer.
    public var isFull: Bool { !counting && matched >= offset + limit }

    public mutating func add(_ entity: ContextEntity) {
        if matched >= offset && entities.count < limit { entities.append(entity) }
        matched += 1
    }
}

extension Principal {
    /// Whether the NGSI-LD door's entities are this caller's to read (in its area): staff, and
    /// keys with `context:read`. Entities carry no person's name or contact, so a key reads what
    /// staff read.
    public var readsContext: Bool {
        kind == .staff || (kind == .key && keyScopes.contains(.contextRead))
    }
}
