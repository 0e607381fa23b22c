import ChengyunCore
import Foundation
import ChengyunStore
import Hummingbird

/// Reads an NGSI-LD entity query from a GET's parameters or a batch query's body.
enum ContextParameters {
    /// A parameter as form encoding writes it: `+` is a space (clients send a real plus as %2B).
    static func parameter(_ request: Request, _ name: String) throws -> String? {
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts[0] == name, parts.count == 2 else { continue }
            let value = String(parts[1]).replacingOccurrences(of: "+", with: " ")
            guard let decoded = value.removingPercentEncoding else {
                throw invalid(name, "\(name) is not percent-encoded text.")
            }
            return decoded.isEmpty ? nil : decoded
        }
        return nil
    }

    static func entityQuery(_ request: Request) throws -> ContextEntityQuery {
        let read = { (name: String) throws in try parameter(request, name) }
        let types = try read("type").map(Self.types)
        let ids = try read("id").map { $0.split(separator: ",").map(String.init) }
        let attributes = try read("attrs").map { $0.split(separator: ",").map(String.init) }
        let q = try read("q").map(Self.q)
        var geo: ContextGeoQuery?
        if let georel = try read("georel") {
            guard let geometry = try read("geometry"), let coordinates = try read("coordinates") else {
                throw invalid("georel", "A geo-query needs georel, geometry and coordinates.")
            }
            geo = try Self.geo(georel, geometry, coordinates, try read("geoproperty"))
        } else if try read("geometry") != nil || read("coordinates") != nil {
            throw invalid("georel", "A geo-query needs georel, geometry and coordinates.")
        }
        let idPattern = try read("idPattern").map(Self.pattern)
        var query = ContextEntityQuery(
            types: types, ids: ids, idPattern: idPattern, q: q, geo: geo, attributes: attributes)
        try page(request, &query)
        return query
    }

    /// The page: `offset`, `limit` (0 only with `count=true`) and `count`.
    static func page(_ request: Request, _ query: inout ContextEntityQuery) throws {
        query.count = try request.queryBool("count") ?? false
        query.offset = try request.queryInt("offset") ?? 0
        query.limit = try request.queryInt("limit") ?? ContextEntityQuery.defaultLimit
        guard (0...ContextBrokerService.scanLimit).contains(query.offset) else {
            throw invalid("offset", "offset is 0 to \(ContextBrokerService.scanLimit).")
        }
        guard (query.count ? 0 : 1)...ContextEntityQuery.maxLimit ~= query.limit else {
            throw invalid("limit", "limit is 1 to \(ContextEntityQuery.maxLimit) (0 only with count=true).")
        }
    }

    /// A batch query's body (`POST /entityOperations/query`): entity selectors, attrs, q, geoQ.
    static func entityQuery(body: Data, _ request: Request) throws -> ContextEntityQuery {
        struct Body: Decodable {
            struct Selector: Decodable { var type: String?, id: String?, idPattern: String? }
            struct Geo: Decodable {
                var georel: String
                var geometry: String
                var coordinates: JSONValue
                var geoproperty: String?
            }
            var type: String
            var entities: [Selector]?
            var attrs: [String]?
            var q: String?
            var geoQ: Geo?
        }
        let query: Body
        do {
            query = try JSONDecoder().decode(Body.self, from: body)
        } catch {
            throw Problem.badRequest("invalid_json", "The body is an NGSI-LD Query: {\"type\": \"Query\", …}.")
        }
        guard query.type == "Query" else { throw invalid("type", "type is Query.") }
        var selectors: [ContextSubscription.Selector] = []
        var unknownType = false
        for selector in query.entities ?? [] {
            let type = selector.type.flatMap(ContextEntityType.init(rawValue:))
            if selector.type != nil && type == nil { unknownType = true; continue }
            selectors.append(
                ContextSubscription.Selector(
                    type: type, id: selector.id, idPattern: try selector.idPattern.map(Self.pattern)))
        }
        let geo = try query.geoQ.map {
            try Self.geo($0.georel, $0.geometry, $0.coordinates.description, $0.geoproperty)
        }
        let q = try query.q.map(Self.q)
        let typed = selectors.compactMap(\.type)
        let named = selectors.compactMap(\.id)
        var result = ContextEntityQuery(
            types: unknownType && selectors.isEmpty
                ? []
                : (typed.count == selectors.count && !typed.isEmpty
                    ? ContextEntityType.allCases.filter(typed.contains) : nil),
            ids: named.count == selectors.count && !named.isEmpty ? named : nil, q: q, geo: geo,
            attributes: query.attrs)
        result.selectors = selectors.isEmpty ? nil : selectors
        try page(request, &result)
        return result
    }

    /// A type list; names the door does not serve match nothing.
    static func types(_ text: String) -> [ContextEntityType] {
        let named = text.split(separator: ",").compactMap { ContextEntityType(rawValue: String($0)) }
        return ContextEntityType.allCases.filter(named.contains)
    }

    static func q(_ text: String) throws -> ContextQuery {
        do { return try ContextQuery.parse(text) } catch let error as ContextQueryError {
            throw Problem.badRequest(
                "invalid_query", error.message,
                errors: [FieldIssue(field: "q", code: "invalid_value", message: error.message)])
        }
    }

    static func geo(_ georel: String, _ geometry: String, _ coordinates: String, _ geoproperty: String?) throws
        -> ContextGeoQuery
    {
        do {
            return try ContextGeoQuery.parse(
                georel: georel, geometry: geometry, coordinates: coordinates, geoproperty: geoproperty)
        } catch let error as ContextQueryError {
            throw invalid("georel", error.message)
        }
    }

    static func pattern(_ text: String) throws -> String {
        guard ContextPattern.isAcceptable(text) else { throw invalid("idPattern", ContextPattern.rule) }
        return text
    }

    static func invalid(_ field: String, _ message: String) -> Problem {
        Problem.badRequest(
            "invalid_query", message, errors: [FieldIssue(field: field, code: "invalid_value", message: message)])
    }
}
