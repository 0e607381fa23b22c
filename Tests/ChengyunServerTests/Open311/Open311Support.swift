import ChengyunCore
import ChengyunServer
import ChengyunStore
import ChengyunTestSupport
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import NIOCore

/// An Open311 answer, read in whichever format it came.
struct Open311Answer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String

    /// The JSON array (requests, services, errors) or object (definition, discovery).
    var list: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    /// The stable codes of an error answer (descriptions start `code: …`), from either format.
    var errorCodes: [String] {
        if text.hasPrefix("<?xml") {
            return xmlValues("/errors/error/description").map { String($0.prefix { $0 != ":" }) }
        }
        return list.compactMap { ($0["description"] as? String).map { String($0.prefix { $0 != ":" }) } }
    }
    var isXML: Bool { headers[.contentType]?.hasPrefix("text/xml") == true }

    func xmlValues(_ path: String) -> [String] {
        guard let document = try? XMLDocument(data: Data(text.utf8)), let nodes = try? document.nodes(forXPath: path)
        else { return [] }
        return nodes.compactMap(\.stringValue)
    }
}

extension TestClientProtocol {
    func open311(_ method: HTTPRequest.Method = .get, _ path: String, form: [(String, String)]? = nil) async throws
        -> Open311Answer
    {
        var headers = HTTPFields()
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        }
        return try await execute(uri: "/open311/v2/" + path, method: method, headers: headers, body: body) { response in
            Open311Answer(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The small city of `CaseFixture` with an app's key for Open311 submissions.
struct Open311City {
    var fixture: CaseFixture
    var key: String

    static func make(_ platform: Platform, rateLimit: Int? = nil) async throws -> Open311City {
        let fixture = try await CaseFixture.make(platform)
        let issued = try await platform.people.createAPIKey(
            NewAPIKey(
                name: "街坊随手拍 app", scopes: [.open311Submit], areaId: fixture.city.id,
                rateLimitPerMinute: rateLimit), by: .system)
        return Open311City(fixture: fixture, key: issued.secret)
    }

    /// A report form at `point` with the key, plus `extra` fields.
    func form(_ code: String, at point: GeoPoint = CaseFixture.pointA, _ extra: [(String, String)] = []) -> [(
        String, String
    )] {
        [("api_key", key), ("service_code", code), ("lat", "\(point.lat)"), ("long", "\(point.lon)")] + extra
    }
}
