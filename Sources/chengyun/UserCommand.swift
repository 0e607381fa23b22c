import ArgumentParser
import ChengyunCore
import ChengyunStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage staff accounts.",
        subcommands: [Create.self, List.self, Password.self, Unlock.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff user.")
        @OptionGroup var storage: StorageOptions
        @Option var username: String
        @Option var name: String
        @Option(help: "Comma-separated: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        var roles: String
        @Option(help: "Code of the area the user's scope covers.")
        var area: String
        @Option(help: "Code of the user's department (department handlers).")
        var department: String?
        @Option(help: "Password (default: random, printed once).")
        var password: String?

        func run() async throws {
            let parsed = try roles.split(separator: ",").map { raw -> Role in
                guard let role = Role(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("Unknown role \(raw).")
                }
                return role
            }
            try await withPlatform(storage) { platform, _ in
                let (areaId, departmentId) = try await platform.pool.read { db in
                    (
                        try await AreaRepository().find(code: area, on: db)?.id,
                        try await department.asyncMap { try await DepartmentRepository().find(code: $0, on: db)?.id }
                            ?? nil
                    )
                }
                guard let areaId else { throw ValidationError("No area has code \(area).") }
                if department != nil && departmentId == nil {
                    throw ValidationError("No department has code \(department!).")
                }
                let secret = password ?? DemoCity.randomPassword()
                let user = try await platform.people.createUser(
                    NewUser(
                        username: username, displayName: name, password: secret, roles: parsed, areaId: areaId,
                        departmentId: departmentId), by: .system)
                print(
                    "Created \(user.username) (\(user.id))" + (password == nil ? " with password \(secret)" : "") + ".")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff users.")
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withPlatform(storage) { platform, _ in
                try await PageRequest.forEachPage({
                    try await platform.people.listUsers(role: nil, departmentId: nil, page: $0, by: .system)
                }) { users in
                    for user in users {
                        let state = user.isLocked(at: platform.now()) ? "locked" : (user.active ? "active" : "inactive")
                        print(
                            "\(user.username)\t\(user.displayName)\t\(user.roles.map(\.rawValue).joined(separator: ","))\t\(state)"
                        )
                    }
                }
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a user's password.")
        @OptionGroup var storage: StorageOptions
        @Argument var username: String
        @Option(help: "The new password (default: random, printed once).")
        var password: String?

        func run() async throws {
            try await withPlatform(storage) { platform, _ in
                let user = try await UserCommand.user(named: username, on: platform)
                let secret = password ?? DemoCity.randomPassword()
                _ = try await platform.people.resetPassword(id: user.id, to: secret, by: .system)
                print("Password of \(username) set" + (password == nil ? " to \(secret)" : "") + ".")
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a lockout.")
        @OptionGroup var storage: StorageOptions
        @Argument var username: String

        func run() async throws {
            try await withPlatform(storage) { platform, _ in
                let user = try await UserCommand.user(named: username, on: platform)
                _ = try await platform.people.unlock(id: user.id, by: .system)
                print("\(username) unlocked.")
            }
        }
    }
}

extension UserCommand {
    /// The user an administrator names on the command line, or a usage error.
    static func user(named username: String, on platform: Platform) async throws -> User {
        guard
            let (user, _) = try await platform.pool.read({
                try await UserRepository().findWithHash(username: username, on: $0)
            })
        else { throw ValidationError("No user \(username).") }
        return user
    }
}
