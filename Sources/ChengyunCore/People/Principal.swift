/// Who is calling: a staff user, a citizen, or a machine key. Built by authentication and
/// carried in the request context; every route checks it.
public struct Principal: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case staff, citizen, key }

    public var kind: Kind
    public var id: String
    public var name: String
    public var roles: Set<Role>
    public var keyScopes: Set<KeyScope>
    public var scope: AreaScope?
    public var departmentId: String?
    /// A machine key's own rate limit, where one applies.
    public var rateLimitPerMinute: Int?
    /// A dataset key's grant (an approved access application).
    public var grantId: String?

    public init(
        kind: Kind, id: String, name: String, roles: Set<Role> = [], keyScopes: Set<KeyScope> = [],
        scope: AreaScope?, departmentId: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.name = name
        self.roles = roles
        self.keyScopes = keyScopes
        self.scope = scope
        self.departmentId = departmentId
    }

    public static func staff(_ user: User) -> Principal {
        Principal(
            kind: .staff, id: user.id, name: user.username, roles: Set(user.roles), scope: user.scope,
            departmentId: user.departmentId)
    }

    public static func citizen(_ citizen: Citizen) -> Principal {
        Principal(kind: .citizen, id: citizen.id, name: citizen.displayName, scope: nil)
    }

    public static func key(_ key: APIKey) -> Principal {
        var principal = Principal(kind: .key, id: key.id, name: key.name, keyScopes: Set(key.scopes), scope: key.scope)
        principal.rateLimitPerMinute = key.rateLimitPerMinute
        principal.grantId = key.grantId
        return principal
    }

    /// The principal used for work the platform does on its own (auto-dispatch, rules, the demo).
    /// Its scope is the root path, which every area path starts with.
    public static let system = Principal(
        kind: .staff, id: "system", name: "system", roles: [],
        scope: AreaScope(areaId: "", path: "/"))

    public func has(anyOf allowed: Set<Role>) -> Bool { !roles.isDisjoint(with: allowed) }

    /// Throws unless the record at `path` is in this principal's scope.
    public func requireScope(_ path: String) throws {
        guard canSee(path: path) else { throw DomainError.outOfScope() }
    }

    /// A record looked up for this principal: not found when missing (`what` names it), refused
    /// when it lies outside their scope.
    public func found<T>(_ record: T?, _ what: String, in path: (T) -> String) throws -> T {
        guard let record else { throw DomainError.notFound(what) }
        try requireScope(path(record))
        return record
    }

    /// Whether the scope is the whole platform: the root, or a top-level area (the city itself),
    /// not a district or street below it.
    public var hasPlatformScope: Bool {
        guard let path = scope?.path else { return false }
        return path.split(separator: "/").count <= 1
    }

    /// Whether a record at `path` lies in this principal's area scope.
    public func canSee(path: String) -> Bool { scope?.contains(path: path) ?? false }
}

extension Principal {
    /// A citizen who reports without an account, leaving a contact.
    public static let anonymousCitizen = Principal(kind: .citizen, id: "anonymous", name: "anonymous", scope: nil)
}

extension Principal {
    /// This principal seeing only what lies both in its scope and under `path` (the area a
    /// standing order such as a subscription was made for): itself when its scope is within
    /// `path` already, its scope cut down to `path` when it is wider (for reading: the cut scope
    /// names no area id), nil when the two are apart.
    public func narrowed(to path: String) -> Principal? {
        guard let scope else { return nil }
        if scope.path.hasPrefix(path) { return self }
        guard canSee(path: path) else { return nil }
        var narrowed = self
        narrowed.scope = AreaScope(areaId: "", path: path)
        return narrowed
    }
}
