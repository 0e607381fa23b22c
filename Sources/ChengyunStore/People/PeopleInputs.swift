import ChengyunCore

public struct NewUser: StrictInput {
    public var username: String
    public var displayName: String
    public var password: String
    public var roles: [Role]
    public var areaId: String
    public var departmentId: String?
    public var phone: String?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case username, displayName, password, roles, areaId, departmentId, phone
    }
    public typealias Fields = CodingKeys
    public init(
        username: String, displayName: String, password: String, roles: [Role], areaId: String,
        departmentId: String? = nil, phone: String? = nil
    ) {
        self.username = username
        self.displayName = displayName
        self.password = password
        self.roles = roles
        self.areaId = areaId
        self.departmentId = departmentId
        self.phone = phone
    }
}

public struct UserChange: StrictInput {
    public var displayName: String?
    public var roles: [Role]?
    public var areaId: String?
    public var departmentId: String?
    public var phone: String?
    public var active: Bool?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case displayName, roles, areaId, departmentId, phone, active
    }
    public typealias Fields = CodingKeys
    public init(
        displayName: String? = nil, roles: [Role]? = nil, areaId: String? = nil, departmentId: String? = nil,
        phone: String? = nil, active: Bool? = nil
    ) {
        self.displayName = displayName
        self.roles = roles
        self.areaId = areaId
        self.departmentId = departmentId
        self.phone = phone
        self.active = active
    }
}

public struct PasswordReset: StrictInput {
    public var password: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case password }
    public typealias Fields = CodingKeys
    public init(password: String) { self.password = password }
}

public struct PasswordChange: StrictInput {
    public var currentPassword: String
    public var newPassword: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case currentPassword, newPassword }
    public typealias Fields = CodingKeys
    public init(currentPassword: String, newPassword: String) {
        self.currentPassword = currentPassword
        self.newPassword = newPassword
    }
}

public struct NewCitizen: StrictInput {
    public var phone: String
    public var displayName: String
    public var password: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case phone, displayName, password }
    public typealias Fields = CodingKeys
    public init(phone: String, displayName: String, password: String) {
        self.phone = phone
        self.displayName = displayName
        self.password = password
    }
}

public struct NewAPIKey: StrictInput {
    public var name: String
    public var scopes: [KeyScope]
    public var areaId: String
    /// Open311 submissions a minute (default: the platform's setting).
    public var rateLimitPerMinute: Int?
    public enum CodingKeys: String, CodingKey, CaseIterable { case name, scopes, areaId, rateLimitPerMinute }
    public typealias Fields = CodingKeys
    public init(name: String, scopes: [KeyScope], areaId: String, rateLimitPerMinute: Int? = nil) {
        self.name = name
        self.scopes = scopes
        self.areaId = areaId
        self.rateLimitPerMinute = rateLimitPerMinute
    }
}

/// A new key with its secret, which is shown this once and never stored in clear.
public struct IssuedAPIKey: Sendable, Encodable {
    public var key: APIKey
    public var secret: String
}

public struct Credentials: StrictInput {
    public var username: String
    public var password: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case username, password }
    public typealias Fields = CodingKeys
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}
