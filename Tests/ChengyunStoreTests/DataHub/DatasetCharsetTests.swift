import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A ledger exported in GBK, as Chinese systems' mostly are: said to be GB18030 it loads with its
/// names as written, whatever the chunks split; not said, it stops the load, nothing written,
/// rather than be kept as replacement characters.
@Suite struct DatasetCharsetTests {
    @Test(arguments: TestBackend.available) func aGBKLedgerLoadsWhenItSaysSo(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let (f, handler) = try await BinsLedger.publish(platform)
            let gbk = try #require(BinsLedger.text(f).data(using: String.Encoding(rawValue: 0x8000_0632)))
            #expect(gbk.count < BinsLedger.text(f).utf8.count, "two bytes a character, not UTF-8's three")
            let loads = platform.datasetLoads
            let error = await #expect(throws: DomainError.self) {
                try await loads.load(
                    code: "bins", format: .csv, source: .upload, dryRun: false, chunks: chunks(Array(gbk)), by: handler)
            }
            #expect(
                error?.code == "invalid_encoding" && error?.message.contains("Line 1 ") == true,
                "\(String(describing: error))")
            for size in [1, 7, 37] {
                let load = try await loads.load(
                    code: "bins", format: .csv, charset: .gb18030, source: .upload, dryRun: size == 1,
                    chunks: chunks(Array(gbk), size: size), by: handler)
                #expect(load.report.kept == 2 && load.report.refused == 2, "chunks of \(size)")
                #expect(load.report.unmappedColumns.isEmpty, "the Chinese header maps as in UTF-8")
                if size == 1 { #expect(load.sample?.first?["name"] == "东园投放点") }
            }
            let page = try await platform.datasetRecords.page(code: "bins", .init(), by: handler)
            #expect(page.records.map { $0[1] } == [.text("东园投放点"), .text("西园投放点")])
        }
    }

    private func chunks(_ bytes: [UInt8], size: Int = 37) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            for start in stride(from: 0, to: bytes.count, by: size) {
                continuation.yield(Array(bytes[start..<min(start + size, bytes.count)]))
            }
            continuation.finish()
        }
    }
}
