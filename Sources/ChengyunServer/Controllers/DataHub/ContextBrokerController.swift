import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird

/// The NGSI-LD door (ETSI GS CIM 009, a subset) at `/ngsi-ld/v1`: devices with their latest
/// readings and alarms, in the caller's area, as context entities, by type, id, id pattern, `q`
/// and geo-query; and subscriptions to their changes, notified through the platform's webhook
/// outbox. Staff only (a bearer token or the session); read-only for entities, which the
/// platform's own registry and rules write. Errors carry NGSI-LD's problem types beside `code`.
struct ContextBrokerController {
    let platform: Platform
    static let maxBody = 64 * 1024

    static let entityParameters: [RouteParameter] = [
        .query("type", .string, "entity types, comma-separated: Device, Alarm (others match nothing)"),
        .query("id", .string, "entity ids (URNs), comma-separated"),
        .query("idPattern", .string, "a regular expression the whole id matches"),
        .query(
            "q", .string, "NGSI-LD query: attr==v, !=, >, >=, <, <=, ~= regex, ranges a..b, lists a,b; ; and | with ( )"
        ),
        .query("attrs", .string, "attributes to show, comma-separated; entities without any of them are left out"),
        .query(
            "georel", .string,
            "near;maxDistance==metres, near;minDistance==metres, within, intersects, disjoint, equals"),
        .query("geometry", .choice(["Point", "Polygon"])),
        .query("coordinates", .string, "GeoJSON coordinates as JSON: [lon,lat] or [[[lon,lat],…]]"),
        .query("geoproperty", .choice(["location"])),
        .query("options", .string, "keyValues (or format=simplified) for the simplified form"),
        .query("format", .choice(["normalized", "keyValues", "simplified"])),
    ]
    static let pageParameters: [RouteParameter] = [
        .query("offset", .integer(minimum: 0, default: 0)),
        .query(
            "limit", .integer(minimum: 0, maximum: ContextEntityQuery.maxLimit, default: 20), "0 only with count=true"),
        .query("count", .boolean, "the total in the NGSILD-Results-Count header"),
    ]

    /// Who reads entities: staff, and keys of other systems with `context:read`.
    static let readers = Access.any([.allStaff, .key(.contextRead)])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "entities", Self.readers,
            RouteDoc(
                "NGSI-LD: query entities (devices with their latest readings, alarms) in the caller's area",
                .ngsiLD, parameters: Self.entityParameters + Self.pageParameters,
                success: .ok(.jsonLD("ContextEntity", list: true), "The page of entities"),
                answers: [.problem(400, "invalid_query; too_complex_query (more than 20,000 candidates to read)")])
        ) { request, _, principal in
            let query = try ContextParameters.entityQuery(request)
            let page = try await platform.contextBroker.entities(query, by: principal)
            return try Self.list(page, query, request)
        }
        routes.on(
            .post, "entityOperations/query", Self.readers,
            RouteDoc(
                "NGSI-LD: query entities by a Query body (entity selectors, attrs, q, geoQ)", .ngsiLD,
                parameters: Self.pageParameters + [Self.entityParameters[9], Self.entityParameters[10]],
                body: .jsonLD("ContextQueryBody", list: false),
                success: .ok(.jsonLD("ContextEntity", list: true), "The page of entities"),
                answers: [.problem(400, "invalid_query; too_complex_query"), .problem(413, "payload_too_large")])
        ) { request, context, principal in
            let query = try ContextParameters.entityQuery(body: try await Self.body(request, context), request)
            let page = try await platform.contextBroker.entities(query, by: principal)
            return try Self.list(page, query, request)
        }
        routes.on(
            .get, "entities/{id}", Self.readers,
            RouteDoc(
                "NGSI-LD: one entity by id", .ngsiLD,
                parameters: [.path("id", "the entity's URN"), Self.entityParameters[4]] + Self.entityParameters[9...10],
                success: .ok(.jsonLD("ContextEntity", list: false), "The entity"), alsoShared: [.badRequest])
        ) { request, context, principal in
            let entity = try await platform.contextBroker.entity(id: try context.id(), by: principal)
            let attributes = try ContextParameters.parameter(request, "attrs").map {
                Set($0.split(separator: ",").map(String.init))
            }
            let ld = Self.wantsLD(request)
            return Self.answer(entity.json(try Self.format(request), attributes: attributes, withContext: ld), ld: ld)
        }
        routes.on(
            .get, "types", Self.readers,
            RouteDoc(
                "NGSI-LD: the entity types with entities in the caller's area", .ngsiLD,
                success: .ok(.jsonLD("ContextTypeList", list: false), "An EntityTypeList"))
        ) { request, _, principal in
            let types = try await platform.contextBroker.types(by: principal)
            let ld = Self.wantsLD(request)
            var members = [
                ("id", JSONText.quoted("urn:ngsi-ld:EntityTypeList:\(Identifier.make(at: platform.now()))")),
                ("type", JSONText.quoted("EntityTypeList")),
                ("typeList", "[" + types.map { JSONText.quoted($0.rawValue) }.joined(separator: ",") + "]"),
            ]
            if ld { members.append(("@context", JSONText.quoted(NGSILD.coreContext))) }
            return Self.answer(JSONText.object(members), ld: ld)
        }
        ContextSubscriptionRoutes(platform: platform).add(to: routes)
        return routes
    }

    static func list(_ page: ContextPage, _ query: ContextEntityQuery, _ request: Request) throws -> Response {
        let ld = wantsLD(request)
        let format = try format(request)
        let only = query.attributes.map { Set($0) }
        let items = page.entities.map { $0.json(format, attributes: only, withContext: ld) }
        var response = answer("[" + items.joined(separator: ",") + "]", ld: ld)
        if query.count { response.headers[HTTPField.Name("NGSILD-Results-Count")!] = String(page.matched) }
        return response
    }

    static func format(_ request: Request) throws -> ContextFormat {
        let options = try ContextParameters.parameter(request, "options")?.split(separator: ",").map(String.init) ?? []
        switch try ContextParameters.parameter(request, "format") {
        case "keyValues", "simplified": return .keyValues
        case "normalized": return .normalized
        case nil: return options.contains("keyValues") || options.contains("simplified") ? .keyValues : .normalized
        case let other?:
            throw ContextParameters.invalid("format", "format is normalized, keyValues or simplified, not \(other).")
        }
    }

    /// JSON-LD when asked for; else JSON with the @context in a Link header, as NGSI-LD answers.
    static func wantsLD(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("application/ld+json") ?? false
    }

    static func answer(_ json: String, ld: Bool, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = ld ? "application/ld+json" : "application/json"
        if !ld {
            headers[HTTPField.Name("Link")!] =
                "<\(NGSILD.coreContext)>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// A JSON or JSON-LD body of at most 64 KB.
    static func body(_ request: Request, _ context: AppRequestContext) async throws -> Data {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || type.hasPrefix("application/ld+json") else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                detail: "Send the body as application/json or application/ld+json.")
        }
        var request = request
        do {
            return Data(buffer: try await request.collectBody(upTo: maxBody))
        } catch {
            throw Problem(status: .contentTooLarge, code: "payload_too_large", detail: "A body is at most 64 KB.")
        }
    }
}
