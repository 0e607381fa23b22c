import ChengyunCore
import Hummingbird

/// Who may call a route. Every API route is registered with one.
enum Access: Sendable {
    /// Any logged-in principal: staff, citizen or key.
    case authenticated
    /// Staff holding at least one of these roles.
    case staff(Set<Role>)
    case citizen
    /// A machine key holding this scope.
    case key(KeyScope)
    /// An administrator whose scope is the whole platform: city-wide settings (the matter
    /// catalogue, the calendar, policies, the indicator tree, evaluation weights, device kinds)
    /// are not a district administrator's to change.
    case platformAdmin
    /// Any one of these.
    indirect case any([Access])

    static let allStaff = Access.staff(Role.staff)

    /// The callers the document names in `x-roles`: staff roles in their order, then the others.
    var roles: [String] {
        let staff = Set(staffRoles).sorted().map(\.rawValue)
        var others: [String] = []
        for other in otherCallers where !others.contains(other) { others.append(other) }
        return staff + others
    }

    private var staffRoles: [Role] {
        switch self {
        case .staff(let roles): Array(roles)
        case .platformAdmin: [.admin]
        case .any(let options): options.flatMap(\.staffRoles)
        case .authenticated, .citizen, .key: []
        }
    }

    private var otherCallers: [String] {
        switch self {
        case .authenticated: ["authenticated"]
        case .citizen: ["citizen"]
        case .key(let scope): ["key:\(scope.rawValue)"]
        case .any(let options): options.flatMap(\.otherCallers)
        case .staff, .platformAdmin: []
        }
    }

    /// Whether any logged-in caller may call, so the route never answers 403 for the caller's kind.
    var isAnyCaller: Bool {
        if case .authenticated = self { return true }
        return false
    }

    /// Whether only a platform-wide administrator may call (`x-scope: platform`).
    var isPlatformWide: Bool {
        if case .platformAdmin = self { return true }
        return false
    }
    static let admin = Access.staff([.admin])

    func authorize(_ principal: Principal?) throws -> Principal {
        guard let principal else { throw Problem.unauthenticated }
        switch self {
        case .authenticated:
            return principal
        case .staff(let roles):
            guard principal.kind == .staff, principal.has(anyOf: roles) else {
                throw Problem.forbidden(
                    "This needs one of the roles: \(roles.map(\.rawValue).sorted().joined(separator: ", ")).")
            }
        case .platformAdmin:
            _ = try Access.admin.authorize(principal)
            guard principal.hasPlatformScope else {
                throw Problem(
                    status: .forbidden, code: "platform_admin_required",
                    detail: "City-wide settings need an administrator whose scope is the whole platform.")
            }
        case .citizen:
            guard principal.kind == .citizen else { throw Problem.forbidden("This is for citizen accounts.") }
        case .key(let scope):
            guard principal.kind == .key, principal.keyScopes.contains(scope) else {
                throw Problem.forbidden("This needs an API key with scope \(scope.rawValue).")
            }
        case .any(let options):
            guard options.contains(where: { (try? $0.authorize(principal)) != nil }) else {
                throw Problem.forbidden("This caller may not use this route.")
            }
        }
        return principal
    }
}

extension AppRequestContext {
    func id(_ name: String = "id") throws -> String {
        try parameters.require(name)
    }
}
