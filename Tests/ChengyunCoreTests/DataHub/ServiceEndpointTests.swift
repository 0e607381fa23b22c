import ChengyunCore
import Testing

/// A registered service's base URL and the paths a call may take below it.
@Suite struct ServiceEndpointTests {
    @Test func pathsStayBelowTheBase() {
        let endpoint = ServiceEndpoint(url: "https://svc.example.cn/api/v2/")
        #expect(
            endpoint.target(path: "stations/JS-1", query: "at=now")
                == "https://svc.example.cn/api/v2/stations/JS-1?at=now")
        #expect(endpoint.target(path: "", query: nil) == "https://svc.example.cn/api/v2")
        #expect(endpoint.target(path: "a//b/", query: "") == "https://svc.example.cn/api/v2/a/b")
        #expect(endpoint.target(path: "%E7%AB%99", query: nil) == "https://svc.example.cn/api/v2/%E7%AB%99")
        for path in ["..", "a/../b", "./a", "%2e%2E", "a%2Fb", "a%5Cb", "a?b=1", "a#b"] {
            #expect(endpoint.target(path: path, query: nil) == nil, "\(path)")
        }
    }

    @Test func aServiceDraftNamesAUsableEndpoint() {
        let fields = [DatasetField("code", .string, title: "编号", required: true, key: true)]
        let draft = { (endpoint: ServiceEndpoint) in
            DatasetDraft(
                code: "svc", title: "服务", description: "", sharingType: .unconditional, openType: .closed,
                updateCycle: .realTime, fields: fields, service: endpoint)
        }
        #expect(draft(ServiceEndpoint(url: "https://svc.example.cn/api")).issues().isEmpty)
        let bad = draft(
            ServiceEndpoint(url: "https://svc.example.cn/api?token=1", methods: [], specification: "ftp://x"))
        #expect(Set(bad.issues().map(\.field)) == ["service.url", "service.methods", "service.specification"])
        #expect(draft(ServiceEndpoint(url: "file:///etc/passwd")).issues().map(\.field) == ["service.url"])
    }
}
