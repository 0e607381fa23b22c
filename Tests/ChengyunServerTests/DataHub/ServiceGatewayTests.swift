import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The service gateway against a real upstream on loopback, on both backends: a department's
/// registered service, published and shared on conditions, is called by its owner, refused to
/// another department until its application is approved, then called by that department's key
/// below the base URL — the grant named upstream, the caller's key not passed on — within the
/// grant's rate, each call logged; paths cannot climb out, and a dead upstream is a 502.
@Suite struct ServiceGatewayTests {
    actor Upstream {
        var seen: [(path: String, grant: String?, key: String?, body: String)] = []
        func note(_ path: String, _ grant: String?, _ key: String?, _ body: String) {
            seen.append((path, grant, key, body))
        }
    }

    static let fields = [
        DatasetField("code", .string, title: "编号", required: true, key: true),
        DatasetField("level", .number, title: "积水深度"),
    ]

    @Test(arguments: TestBackend.available) func callsGoThroughByGrantMeteredAndLogged(backend: TestBackend)
        async throws
    {
        let upstream = Upstream()
        let router = Router()
        router.get("api/ponding/**") { request, _ -> Response in
            await upstream.note(
                request.uri.description, request.headers[HTTPField.Name("X-Chengyun-Grant")!],
                request.headers[HTTPField.Name("X-API-Key")!] ?? request.headers[.authorization], "")
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"[{"code":"JS-1","level":0.3}]"#)))
        }
        router.get("api/ponding/moved") { _, _ -> Response in
            Response(status: .found, headers: [.location: "http://127.0.0.1:9/elsewhere"])
        }
        router.post("api/ponding/report") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 16))
            await upstream.note(request.uri.description, nil, nil, body)
            return Response(status: .created)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await withPlatform(backend, clock: TestClock()) { platform in
                let f = try await CaseFixture.make(platform)
                let owner = f.staff(.handler, department: f.citySanitation)
                var centre = f.staff(.admin)
                centre.id = "centre-reviewer"
                let service = ServiceEndpoint(url: "http://127.0.0.1:\(port)/api/ponding/", methods: [.GET, .POST])
                let draft = DatasetDraft(
                    code: "ponding", title: "道路积水监测服务", description: "", sharingType: .conditional,
                    sharingCondition: "防汛部门申请使用", openType: .closed, updateCycle: .realTime, fields: Self.fields,
                    service: service)
                _ = try await platform.dataCatalog.register(draft, by: owner)
                _ = try await platform.dataCatalog.act(code: "ponding", .submit, note: nil, by: owner)
                _ = try await platform.dataCatalog.act(code: "ponding", .approve, note: nil, by: centre)
                let gateway = platform.services
                let get = { (path: String, query: String?, who: Principal) in
                    try await gateway.call(code: "ponding", .init(method: .GET, path: path, query: query), by: who)
                }
                let mine = try await get("stations/JS-1", "at=now", owner)
                #expect(mine.status == 200 && String(decoding: mine.body, as: UTF8.self).contains("JS-1"))
                let first = await upstream.seen.last?.path
                #expect(first == "/api/ponding/stations/JS-1?at=now")

                let reader = f.staff(.handler, in: f.district, department: f.districtSanitation)
                #expect(await errorCode { try await get("stations", nil, reader) } == "not_shared_with_you")
                #expect(
                    await errorCode {
                        try await platform.exchange.apply(
                            code: "ponding", .init(purpose: "防汛", fields: ["code"], days: 30), by: reader)
                    } == "validation_failed", "a service is granted whole")
                let applied = try await platform.exchange.apply(
                    code: "ponding",
                    .init(purpose: "防汛调度", fields: ["code", "level"], days: 30, system: "区防汛系统", ratePerMinute: 2),
                    by: reader)
                _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: owner)
                _ = try await platform.exchange.act(id: applied.id, .approve, note: nil, by: centre)
                let secret = try await platform.exchange.issueKey(id: applied.id, by: reader).secret
                let key = try #require(try await platform.auth.authenticate(apiKey: secret))

                // Over HTTP with the key: the answer is the service's, sandboxed on the platform's origin.
                try await testApplication(platform).test(.router) { http in
                    let answer = try await http.call(
                        .get, "/api/v1/services/ponding/call/stations?near=JS-1",
                        headers: [HTTPField.Name("X-API-Key")!: secret])
                    #expect(answer.status == .ok && answer.text.contains("JS-1"))
                    #expect(answer.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'")
                }
                let seen = try #require(await upstream.seen.last)
                #expect(seen.path == "/api/ponding/stations?near=JS-1")
                #expect(seen.grant == applied.id && seen.key == nil, "the grant is named upstream, the key is not")
                let posted = try await gateway.call(
                    code: "ponding",
                    .init(method: .POST, path: "report", query: nil, body: Data(#"{"code":"JS-1"}"#.utf8)), by: reader)
                let sent = await upstream.seen.last?.body
                #expect(posted.status == 201 && sent == #"{"code":"JS-1"}"#)
                // Two calls a minute: the third is refused, and all three are in the log.
                #expect(await errorCode { try await get("stations", nil, key) } == "rate_limited")
                let log = try await platform.exchange.log(id: applied.id, page: PageRequest(), by: reader).items
                #expect(log.count == 3 && log.map(\.outcome).filter { $0 == .admitted }.count == 2)

                for path in ["../admin", "a/%2e%2e/b", "a/..%2fb"] {
                    #expect(await errorCode { try await get(path, nil, owner) } == "invalid_path", "\(path)")
                }
                #expect(
                    await errorCode { try await platform.datasetRecords.page(code: "ponding", .init(), by: owner) }
                        == "is_service")
                let dead = DatasetDraft(
                    code: "dead-service", title: "停用服务", description: "", sharingType: .unconditional,
                    openType: .closed,
                    updateCycle: .realTime, fields: Self.fields, service: ServiceEndpoint(url: "http://127.0.0.1:9/x"))
                _ = try await platform.dataCatalog.register(dead, by: owner)
                let callDead = { (method: ServiceMethod) in
                    try await gateway.call(code: "dead-service", .init(method: method, path: "", query: nil), by: owner)
                }
                // Not even its owner calls it before the centre has reviewed and published it.
                #expect(await errorCode { try await callDead(.GET) } == "not_published")
                _ = try await platform.dataCatalog.act(code: "dead-service", .submit, note: nil, by: owner)
                _ = try await platform.dataCatalog.act(code: "dead-service", .approve, note: nil, by: centre)
                #expect(await errorCode { try await callDead(.GET) } == "upstream_unreachable")
                #expect(await errorCode { try await callDead(.POST) } == "method_not_offered")
                // A redirect is an answer, not a place to go.
                #expect(await errorCode { try await get("moved", nil, owner) } == "upstream_failed")
                // Every call that went upstream is in the service's log: by grant, metered, or as
                // its owner made it (no grant, nothing counted). Refused before (a bad path) is not.
                let serviceLog = try await platform.exchange.log(code: "ponding", page: PageRequest(), by: owner).items
                #expect(serviceLog.filter { $0.applicationId == applied.id }.count == 3)
                let unmetered = serviceLog.filter { $0.applicationId == nil }
                #expect(unmetered.map(\.operation).sorted() == ["GET /moved", "GET /stations/JS-1"])
                #expect(
                    unmetered.allSatisfy {
                        $0.callerId == owner.id && $0.consumer == f.citySanitation.name && $0.outcome == .admitted
                    })
            }
        }
    }
}
