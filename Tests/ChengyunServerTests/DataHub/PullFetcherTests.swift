import ChengyunCore
@testable import ChengyunStore
import ChengyunTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A pull's transfer from a real source on loopback: the body lands in its file, hashed on the
/// way; an answer that declares or streams more than the limit stops the transfer and leaves no
/// file; a redirect is reported, not followed; a 304 writes nothing.
@Suite struct PullFetcherTests {
    @Test func theBodyIsWrittenOnceAndNothingPastTheLimit() async throws {
        let body = String(repeating: "code,depth\nJS-1,12\n", count: 20) // 380 bytes
        let router = Router()
        router.get("small.csv") { request, _ -> Response in
            if request.headers[.ifNoneMatch] == "\"v1\"" { return Response(status: .notModified) }
            return Response(
                status: .ok, headers: [.eTag: "\"v1\""], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("declared.csv") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: String(repeating: "x", count: 5_000))))
        }
        router.get("streamed.csv") { _, _ in
            // Chunked: no length said, so only counting the bytes stops it.
            Response(
                status: .ok,
                body: .init { writer in
                    for _ in 0..<50 { try await writer.write(ByteBuffer(string: String(repeating: "y", count: 100))) }
                    try await writer.finish(nil)
                })
        }
        router.get("moved.csv") { _, _ in
            Response(status: .found, headers: [.location: "http://127.0.0.1:9/elsewhere.csv"])
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let directory = FileManager.default.temporaryDirectory.path + "/pulls-" + Identifier.make()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let fetcher = PullFetcher(maxBytes: 1_000)
            func fetch(_ name: String, etag: String? = nil) async throws -> PullFetcher.Answer {
                try await fetcher.fetch(pull("http://127.0.0.1:\(port)/\(name)", etag: etag), into: directory)
            }
            func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory) }

            let first = try await fetch("small.csv")
            let file = try #require(first.file)
            #expect(first.status == 200 && first.etag == "\"v1\"")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == body)
            #expect(first.sha256 == Hex.string(SHA256.hash(data: Data(body.utf8))))
            try FileManager.default.removeItem(atPath: file)

            let again = try await fetch("small.csv", etag: "\"v1\"")
            #expect(again.status == 304 && again.file == nil && again.sha256 == nil)
            for name in ["declared.csv", "streamed.csv"] {
                await #expect(throws: PullFetcher.TooLarge.self, "\(name)") { try await fetch(name) }
            }
            let moved = try await fetch("moved.csv")
            #expect(moved.status == 302 && moved.file == nil)
            #expect(try files().isEmpty, "nothing left behind")
        }
    }

    @Test func aNameStandingForTheMetadataAddressIsNeverFetched() async throws {
        // Unset outside CI only (`BackendTests` fails CI without it).
        guard let name = TestBackend.metadataName else { return }
        let directory = FileManager.default.temporaryDirectory.path + "/pulls-" + Identifier.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        await #expect(throws: PullFetcher.ForbiddenAddress.self) {
            try await PullFetcher().fetch(pull("http://\(name)/latest/meta-data/", etag: nil), into: directory)
        }
    }

    private func pull(_ url: String, etag: String?) -> DatasetPull {
        DatasetPull(
            datasetId: "d", datasetCode: "ponding", url: url, format: .csv, intervalMinutes: 60, ownerId: "u",
            etag: etag, lastModified: nil, bodyHash: nil, nextRunAt: 0, claimedUntil: nil, lastRunAt: nil,
            lastOutcome: nil, lastStatus: nil, lastError: nil, lastVersion: nil, failures: 0, createdAt: 0,
            updatedAt: 0)
    }
}
