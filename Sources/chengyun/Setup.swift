import ArgumentParser
import ChengyunCore
import ChengyunStore

struct Setup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a real deployment: create the root city and its first administrator in an empty database.")

    @OptionGroup var storage: StorageOptions

    @Option(help: "The city's 6-digit GB/T 2260 code, ending in 00 (e.g. 320500).")
    var cityCode: String

    @Option(help: "The city's name (e.g. 苏州市).")
    var cityName: String

    @Option(help: "Username of the first administrator.")
    var admin = "admin"

    @Option(help: "The administrator's password (default: a random one, printed once).")
    var password: String?

    func run() async throws {
        try await withPlatform(storage) { platform, _ in
            guard try await DemoCity(platform: platform).isNeeded() else { throw DemoCity.AlreadyPopulated() }
            _ = try await platform.catalogue.importTree(try CategoryRepository.defaultTree(), by: .system)
            let city = try await platform.organisation.createArea(
                NewArea(code: cityCode, name: cityName, level: .city, parentId: nil), by: .system)
            let secret = password ?? DemoCity.randomPassword()
            _ = try await platform.people.createUser(
                NewUser(username: admin, displayName: "系统管理员", password: secret, roles: [.admin], areaId: city.id),
                by: .system)
            print(
                "Created \(cityName) (\(cityCode)) and administrator \(admin)"
                    + (password == nil ? " with password \(secret)" : "") + ".")
        }
    }
}
