import ChengyunCore
import ChengyunTestSupport
import Foundation
import Testing

@testable import ChengyunStore

/// Reads of open data without a grant, on both backends: a consumer's (another department's
/// staff) go into the dataset's access log unmetered; the owner's own (its department, the centre
/// over the whole area) and anonymous ones do not.
@Suite struct AccessLogReadsTests {
    @Test(arguments: TestBackend.available) func consumersReadsWithoutAGrantAreLogged(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publishLoaded(platform, sharing: .unconditional)
            var centre = f.staff(.admin)
            centre.id = "centre-reader"
            let reader = f.staff(.handler, in: f.district, department: f.districtSanitation)
            let records = platform.datasetRecords

            _ = try await records.page(code: "bins", .init(), by: owner)
            _ = try await records.page(code: "bins", .init(), by: nil)
            _ = try await records.window(code: "bins", .init(limit: 0), offset: 0, by: centre)
            #expect(try await platform.exchange.log(code: "bins", page: PageRequest(), by: owner).items.isEmpty)

            _ = try await records.page(code: "bins", .init(), by: reader)
            _ = try await records.window(code: "bins", .init(limit: 0), offset: 0, by: reader)
            _ = try await records.export(code: "bins", .init(), by: reader)
            // Held, not yet written, until the log is read (or the node's second is up).
            #expect(platform.accessLogBuffer.count == 3)
            let written = {
                try await platform.pool.read { db in
                    try await db.raw("SELECT count(*) AS n FROM dataset_access_log").first()?
                        .decode(column: "n", as: Int.self)
                }
            }
            #expect(try await written() == 0)
            let log = try await platform.exchange.log(code: "bins", page: PageRequest(), by: owner).items
            let writtenNow = try await written()
            #expect(platform.accessLogBuffer.count == 0 && writtenNow == 3)
            #expect(log.count == 3 && log.allSatisfy { $0.applicationId == nil && $0.outcome == .admitted })
            #expect(log.map(\.operation).sorted() == ["export", "records", "window"])
            #expect(log.allSatisfy { $0.callerId == reader.id && $0.consumer == f.districtSanitation.name })
            // Entries written already and held again (a commit whose answer was lost) stay once.
            platform.accessLogBuffer.putBack(log.map { .init(entry: $0, departmentId: nil) })
            #expect(try await platform.exchange.flushUnmetered() == 3)
            #expect(try await written() == 3)

            // A read refused before it starts (a filter on no field) is not logged.
            #expect(
                await errorCode {
                    try await records.page(code: "bins", .init(equals: ["nope": "1"]), by: reader)
                } == "validation_failed")
            #expect(try await platform.exchange.log(code: "bins", page: PageRequest(), by: owner).items.count == 3)
        }
    }

    /// Once `AccessLogBuffer.limit` are held, the read that adds the last writes them all.
    @Test(arguments: TestBackend.available) func aFullBufferIsWrittenByTheReadThatFillsIt(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let (f, owner) = try await BinsLedger.publish(platform, sharing: .unconditional)
            let reader = f.staff(.handler, in: f.district, department: f.districtSanitation)
            for _ in 0..<(AccessLogBuffer.limit - 1) {
                _ = try await platform.datasetRecords.page(code: "bins", .init(limit: 1), by: reader)
            }
            #expect(platform.accessLogBuffer.count == AccessLogBuffer.limit - 1)
            _ = try await platform.datasetRecords.page(code: "bins", .init(limit: 1), by: reader)
            #expect(platform.accessLogBuffer.count == 0)
            let log = try await platform.exchange.log(code: "bins", page: PageRequest(), by: owner)
            #expect(log.items.count == PageRequest().limit && log.nextCursor != nil)
            #expect(try await platform.exchange.flushUnmetered() == 0)
        }
    }
}
