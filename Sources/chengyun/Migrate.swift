import ArgumentParser
import ChengyunStore
import Logging

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let config = try await storage.load()
        let pool = try await openDatabase(config.databaseLocation, logger: Logger(label: "chengyun"))
        do {
            let migrator = Migrator()
            let applied = try await migrator.migrate(pool)
            let versions = try await migrator.appliedVersions(pool)
            print(
                applied.isEmpty
                    ? "Up to date." : "Applied: " + applied.map { "\($0.version) \($0.name)" }.joined(separator: ", "))
            print("Schema version \(versions.last ?? 0) on \(pool.backend.rawValue).")
            await pool.close()
        } catch {
            await pool.close()
            throw error
        }
    }
}
