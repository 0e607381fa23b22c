import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Scheduled pulls from a real source on loopback, on both backends: the first pull loads, a 304
/// loads nothing, a changed file makes the next version, the same body without validators makes
/// none, a failing source backs off, and the schedule runs what is due.
@Suite struct DatasetPullTests {
    actor Source {
        var body = ""
        var etag: String?
        var status = 200
        var conditional = 0
        func set(body: String, etag: String?, status: Int = 200) {
            (self.body, self.etag, self.status) = (body, etag, status)
        }
        func answer(ifNoneMatch: String?) -> (Int, String?, String) {
            if ifNoneMatch != nil { conditional += 1 }
            if status != 200 { return (status, nil, "") }
            if let etag, ifNoneMatch == etag { return (304, etag, "") }
            return (200, etag, body)
        }
    }

    @Test(arguments: TestBackend.available) func pullsLoadWhatChanged(backend: TestBackend) async throws {
        let source = Source()
        let router = Router()
        router.get("bins.csv") { request, _ -> Response in
            let (status, etag, body) = await source.answer(ifNoneMatch: request.headers[.ifNoneMatch])
            var headers = HTTPFields()
            headers[.contentType] = "text/csv"
            if status == 302 { headers[.location] = "http://127.0.0.1:9/elsewhere.csv" }
            if let etag { headers[.eTag] = etag }
            return Response(
                status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let clock = TestClock()
            try await withPlatform(backend, clock: clock) { platform in
                let (f, _) = try await BinsLedger.publish(platform)
                let owner = try await f.account(platform, "bins.owner", .handler, department: f.citySanitation)
                let pulls = platform.datasetPulls
                let url = "http://127.0.0.1:\(port)/bins.csv"
                #expect(
                    await errorCode {
                        try await pulls.set(code: "bins", .init(url: url, format: .csv, intervalMinutes: 5), by: owner)
                    }
                        == "validation_failed")
                #expect(
                    await errorCode {
                        try await pulls.set(
                            code: "bins", .init(url: "ftp://x", format: .csv, intervalMinutes: 60), by: owner)
                    }
                        == "validation_failed")
                let stranger = try await f.account(
                    platform, "district.owner", .handler, in: f.district, department: f.districtSanitation)
                #expect(
                    await errorCode {
                        try await pulls.set(
                            code: "bins", .init(url: url, format: .csv, intervalMinutes: 60), by: stranger)
                    }
                        == "not_dataset_owner")

                await source.set(body: BinsLedger.text(f), etag: "\"v1\"")
                let set = try await pulls.set(
                    code: "bins", .init(url: url, format: .csv, intervalMinutes: 60), by: owner)
                #expect(set.nextRunAt == clock.now && set.lastOutcome == nil)
                // Due at once: the schedule runs it.
                #expect(try await pulls.runDue() == 1)
                var pull = try await pulls.pull(code: "bins", by: owner)
                #expect(
                    pull.lastOutcome == .loaded && pull.lastVersion == 1 && pull.etag == "\"v1\""
                        && pull.lastStatus == 200)
                #expect(pull.nextRunAt == clock.now + 3_600_000 && pull.failures == 0)
                #expect(try await pulls.runDue() == 0, "not due again for an hour")

                // Asked with the ETag: 304, nothing loaded.
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.lastOutcome == .notModified && pull.lastStatus == 304 && pull.lastVersion == 1)
                #expect(await source.conditional == 1)

                // The file changes: version 2, its rows through the pipeline.
                await source.set(body: BinsLedger.text(f, bins: 6), etag: "\"v2\"")
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.lastOutcome == .loaded && pull.lastVersion == 2)
                let loads = try await platform.datasetRecords.loads(code: "bins", by: owner)
                #expect(
                    loads.first?.source == .pull && loads.first?.report.kept == 2 && loads.first?.report.refused == 2)

                // The same bytes without validators: read, not loaded again.
                await source.set(body: BinsLedger.text(f, bins: 6), etag: nil)
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.lastOutcome == .unchanged && pull.lastVersion == 2)

                // A failing source: the wait backs off from a minute; the next success resets it.
                await source.set(body: "", etag: nil, status: 503)
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.lastOutcome == .failed && pull.failures == 1 && pull.lastStatus == 503)
                #expect(pull.lastError == "The server answered HTTP 503." && pull.nextRunAt == clock.now + 60_000)
                // A redirect is reported, not followed.
                await source.set(body: "", etag: nil, status: 302)
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.failures == 2 && pull.nextRunAt == clock.now + 120_000 && pull.lastStatus == 302)
                // A body the pipeline cannot read fails the load, and nothing of it is kept.
                await source.set(body: "编号,名称\n\"unclosed", etag: "\"v3\"")
                pull = try await pulls.runNow(code: "bins", by: owner)
                #expect(pull.lastOutcome == .failed && pull.failures == 3 && pull.lastVersion == 2)
                // The same ETag again with a body that reads: the failed run kept no validators, so it loads.
                await source.set(body: BinsLedger.text(f, bins: 7), etag: "\"v3\"")
                clock.advance(minutes: 4)
                #expect(try await pulls.runDue() == 1)
                pull = try await pulls.pull(code: "bins", by: owner)
                #expect(pull.lastOutcome == .loaded && pull.lastVersion == 3 && pull.failures == 0)

                try await pulls.remove(code: "bins", by: owner)
                #expect(await errorCode { try await pulls.pull(code: "bins", by: owner) } == "not_found")
            }
        }
    }
}
