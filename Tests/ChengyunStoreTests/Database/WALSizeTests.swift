import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import SQLKit
import Testing

/// The embedded database's WAL stays bounded: a burst that the checkpointer cannot follow (a
/// reader holding an old snapshot) grows it, and once everything is checkpointed the next write
/// starts the log over and cuts the file back to `SQLiteDatabasePool.walSizeLimit`.
@Suite struct WALSizeTests {
    @Test func theWALIsCutBackOnceEverythingIsCheckpointed() async throws {
        try await withPlatform(.sqlite) { platform in
            let pool = try #require(platform.pool as? SQLiteDatabasePool)
            let wal = pool.path + "-wal"
            try await pool.transaction {
                try await $0.raw("CREATE TABLE filler (id BIGINT PRIMARY KEY, body BLOB NOT NULL)").run()
            }
            let megabytes = 96
            try await pool.read { reader in
                // An open read transaction pins the log: nothing after its snapshot can be checkpointed.
                try await reader.raw("BEGIN").run()
                _ = try await reader.raw("SELECT COUNT(*) AS n FROM filler").first()
                for index in 0..<megabytes {
                    try await pool.transaction { db in
                        try await db.raw("INSERT INTO filler (id, body) VALUES (\(bind: index), randomblob(1048576))")
                            .run()
                    }
                }
                try await reader.raw("COMMIT").run()
            }
            let grown = try fileSize(wal)
            #expect(
                grown > Int64(SQLiteDatabasePool.walSizeLimit),
                "the burst should have grown the WAL past the limit (\(grown) bytes)")
            // The checkpointer runs every half second; a small write after it restarts the log.
            var size = grown
            for round in 0..<50 where size > Int64(SQLiteDatabasePool.walSizeLimit) {
                try await Task.sleep(for: .milliseconds(200))
                try await pool.transaction { db in
                    try await db.raw("INSERT INTO filler (id, body) VALUES (\(bind: megabytes + round), x'00')").run()
                }
                size = try fileSize(wal)
            }
            #expect(
                size <= Int64(SQLiteDatabasePool.walSizeLimit),
                "the WAL stayed at \(size) bytes after a full checkpoint")
        }
    }

    private func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }
}
