/// A staff account. Passwords are never held here, only in the store as bcrypt hashes.
public struct User: Codable, Equatable, Sendable {
    public var id: String
    public var username: String
    public var displayName: String
    public var roles: [Role]
    public var areaId: String
    public var areaPath: String
    public var departmentId: String?
    public var phone: String?
    public var active: Bool
    public var failedAttempts: Int
    public var lockedUntil: Int64?
    public var lastLoginAt: Int64?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, username: String, displayName: String, roles: [Role], areaId: String, areaPath: String,
        departmentId: String?, phone: String?, active: Bool = true, failedAttempts: Int = 0,
        lockedUntil: Int64? = nil, lastLoginAt: Int64? = nil, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.roles = roles.sorted()
        self.areaId = areaId
        self.areaPath = areaPath
        self.departmentId = departmentId
        self.phone = phone
        self.active = active
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.lastLoginAt = lastLoginAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var scope: AreaScope { AreaScope(areaId: areaId, path: areaPath) }

    public func isLocked(at now: Int64) -> Bool { (lockedUntil ?? 0) > now }

    /// Usernames: 3–40 characters of letters, digits, dot, dash and underscore.
    public static func isValidUsername(_ name: String) -> Bool {
        (3...40).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }
    }
}

/// A citizen account (公众), kept apart from staff: it holds no role and no area scope.
public struct Citizen: Codable, Equatable, Sendable {
    public var id: String
    public var phone: String
    public var displayName: String
    public var failedAttempts: Int
    public var lockedUntil: Int64?
    public var createdAt: Int64

    public init(
        id: String, phone: String, displayName: String, failedAttempts: Int = 0, lockedUntil: Int64? = nil,
        createdAt: Int64
    ) {
        self.id = id
        self.phone = phone
        self.displayName = displayName
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
        self.createdAt = createdAt
    }

    /// Mainland mobile numbers: 11 digits starting with 1.
    public static func isValidPhone(_ phone: String) -> Bool {
        AreaCode.isDigits(phone, count: 11) && phone.hasPrefix("1")
    }
}

/// A machine credential for devices, gateways and other systems.
public struct APIKey: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    /// The public part of the key, shown in lists and logs; the secret is shown once.
    public var prefix: String
    public var scopes: [KeyScope]
    public var areaId: String
    public var areaPath: String
    public var createdBy: String
    public var createdAt: Int64
    public var revokedAt: Int64?
    public var lastUsedAt: Int64?
    /// Requests a minute this key may make where limits apply (Open311 submissions); nil takes
    /// the platform's default.
    public var rateLimitPerMinute: Int?
    /// The access application whose grant the key reads by (a dataset key), nil for other keys.
    public var grantId: String?
    /// When the key stops working (a grant's keys end with the grant).
    public var expiresAt: Int64?
    /// The dataset a push key (`data:push`) loads into, nil for other keys.
    public var datasetId: String?

    public init(
        id: String, name: String, prefix: String, scopes: [KeyScope], areaId: String, areaPath: String,
        createdBy: String, createdAt: Int64, revokedAt: Int64? = nil, lastUsedAt: Int64? = nil,
        rateLimitPerMinute: Int? = nil
    ) {
        self.rateLimitPerMinute = rateLimitPerMinute
        self.id = id
        self.name = name
        self.prefix = prefix
        self.scopes = scopes
        self.areaId = areaId
        self.areaPath = areaPath
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    public var scope: AreaScope { AreaScope(areaId: areaId, path: areaPath) }
}
