import ArgumentParser
import ChengyunServer
import ChengyunStore
import Configuration
import Logging

/// Where the data lives; shared by every command.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default ./chengyun-data; env CHENGYUN_DATA_DIR).")
    var dataDirectory: String?

    @Option(
        help: "Database: a file path, sqlite:PATH or postgres://user:pass@host:port/db (env CHENGYUN_DATABASE_URL).")
    var database: String?

    @Option(help: "A JSON config file ({\"chengyun\": {\"port\": 8080, ...}}).")
    var config: String?

    var overrides: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        if let dataDirectory { values["dataDir"] = .string(dataDirectory) }
        if let database { values["database.url"] = .string(database) }
        return values
    }

    func load(extra: [String: ConfigContent] = [:]) async throws -> AppConfig {
        try await AppConfig.load(overrides: overrides.merging(extra) { $1 }, configFile: config)
    }

    /// Opens and migrates the database for a one-off command.
    func openPlatform() async throws -> (Platform, AppConfig) {
        let config = try await load()
        var logger = Logger(label: "chengyun")
        logger.logLevel = .warning
        let pool = try await openDatabase(config.databaseLocation, logger: logger)
        do {
            try await Migrator().migrate(pool)
        } catch {
            await pool.close()
            throw error
        }
        do {
            return (Platform(pool: pool, settings: try await config.settingsWithAuditKeys(pool)), config)
        } catch {
            await pool.close()
            throw error
        }
    }
}

/// Runs `body` with an open platform and closes the database afterwards, whatever happens.
func withPlatform<T>(_ storage: StorageOptions, _ body: (Platform, AppConfig) async throws -> T) async throws -> T {
    let (platform, config) = try await storage.openPlatform()
    do {
        let result = try await body(platform, config)
        await platform.pool.close()
        return result
    } catch {
        await platform.pool.close()
        throw error
    }
}
