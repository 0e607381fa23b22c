import ArgumentParser
import ChengyunStore
import Foundation

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the embedded SQLite database (on PostgreSQL, use pg_dump).")

    @OptionGroup var storage: StorageOptions

    @Option(help: "The file to write; it must not exist.")
    var to: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: to) else { throw ValidationError("\(to) exists already.") }
        try await withPlatform(storage) { platform, _ in
            guard platform.pool.backend == .sqlite else {
                throw ValidationError("This database is PostgreSQL: back it up with pg_dump.")
            }
            // VACUUM INTO writes a transactionally consistent, compacted copy while the server runs.
            try await platform.pool.read { try await $0.raw("VACUUM INTO \(bind: to)").run() }
            print("Backed up to \(to).")
        }
    }
}
