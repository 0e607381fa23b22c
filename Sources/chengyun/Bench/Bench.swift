import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the platform. Each benchmark ends by printing one JSON line with its figures.",
        subcommands: [BenchRouting.self, BenchCases.self, BenchEvaluation.self, BenchIngest.self, BenchIngestClient.self])
}

/// A throwaway embedded database for one benchmark run, removed afterwards.
struct BenchDatabase {
    let directory = NSTemporaryDirectory() + "chengyun-bench-" + Identifier.make().lowercased()
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

    func open() async throws -> any DatabasePool {
        let pool = try await openDatabase(directory + "/chengyun.sqlite", logger: logger)
        try await Migrator().migrate(pool)
        return pool
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

import ChengyunCore
import ChengyunStore
import Foundation
import Logging
