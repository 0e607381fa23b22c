import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the platform. Each benchmark ends by printing one JSON line with its figures.",
        subcommands: [
            BenchAll.self, BenchRouting.self, BenchIntake.self, BenchCases.self, BenchEvaluation.self, BenchIngest.self,
            BenchIngestClient.self, BenchIndicators.self, BenchEmergency.self, BenchCluster.self, BenchCities.self,
            BenchDataHub.self,
        ])
}

/// A throwaway embedded database for one benchmark run, removed afterwards.
struct BenchDatabase {
    let directory = NSTemporaryDirectory() + "chengyun-bench-" + Identifier.make().lowercased()
    /// A PostgreSQL server to run on instead of the embedded default (in a schema of its own).
    var postgres: String? = nil
    let schema = "bench_" + Identifier.make().lowercased()
    let logger: Logger = {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        return logger
    }()

    /// Settings for benchmarks: real bcrypt at its lowest cost, files inside the scratch folder.
    var settings: PlatformSettings {
        var settings = PlatformSettings()
        settings.bcryptCost = 4
        settings.attachmentDirectory = directory + "/attachments"
        return settings
    }

    var backend: String { postgres == nil ? "sqlite" : "postgres" }

    /// The database opened, a platform on it whose clock stands still at `now`, and the bench city
    /// (one street, its staff and the default catalogue) built in it.
    func benchCity() async throws -> (pool: any DatabasePool, platform: Platform, now: Int64) {
        let pool = try await open()
        let now = EpochMillis.now()
        let platform = Platform(pool: pool, settings: settings, now: { now })
        do {
            _ = try await BenchCity.make(platform)
        } catch {
            await close(pool)
            throw error
        }
        return (pool, platform, now)
    }

    func open() async throws -> any DatabasePool {
        // The scratch folder holds the run's files (attachments, made files) on either backend.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let location =
            postgres.map { $0 + ($0.contains("?") ? "&" : "?") + "schema=\(schema)" } ?? directory + "/chengyun.sqlite"
        let pool = try await openDatabase(location, logger: logger)
        try await Migrator().migrate(pool)
        return pool
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `body`, then closes the run's pool and drops its PostgreSQL schema however `body` ends:
    /// a bench that fails leaves no pool, node or schema behind for the next one of `bench all`.
    func closing<T>(_ pool: any DatabasePool, _ body: () async throws -> T) async throws -> T {
        try await closing([pool], body)
    }

    /// `closing` for several pools on the run's database (one a node): every one closed.
    func closing<T>(_ pools: [any DatabasePool], _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            for pool in pools { await close(pool) }
            return value
        } catch {
            for pool in pools { await close(pool) }
            throw error
        }
    }

    /// Closes the run's pool and drops the PostgreSQL schema the run made, if it made one.
    func close(_ pool: any DatabasePool) async {
        await pool.close()
        await dropSchema()
    }

    /// Drops the PostgreSQL schema the run made, if it made one.
    func dropSchema() async {
        guard let postgres, let pool = try? await openDatabase(postgres, logger: logger) else { return }
        _ = try? await pool.read { try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() }
        await pool.close()
    }
}

import ChengyunCore
import ChengyunStore
import Foundation
import Logging
import SQLKit
