import Foundation

/// How an entity is rendered: NGSI-LD's normalized form (each attribute an object with its
/// `type`), or `keyValues` (simplified: each attribute its value).
public enum ContextFormat: String, Sendable, Codable {
    case normalized
    case keyValues
}

public enum NGSILD {
    /// The core @context, which every attribute name here is a term of or falls back to.
    public static let coreContext = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"

    /// A DateTime as NGSI-LD writes it: ISO 8601 in UTC with milliseconds, `2026-12-05T07:00:00.000Z`.
    public static func dateTime(_ millis: Int64) -> String {
        let seconds = EpochMillis.iso8601(millis - millis.mod(1000), utcOffsetMinutes: 0).dropLast(6)
        let fraction = Int(millis.mod(1000))
        return seconds + "." + String(fraction + 1000).dropFirst() + "Z"
    }

    /// A JSON number; nil for what JSON cannot hold.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension ContextValue {
    var json: String {
        switch self {
        case .text(let text): JSONText.quoted(text)
        case .number(let number): NGSILD.number(number)
        case .bool(let bool): bool ? "true" : "false"
        case .time(let millis): JSONText.quoted(NGSILD.dateTime(millis))
        case .texts(let texts): "[" + texts.map(JSONText.quoted).joined(separator: ",") + "]"
        case .point(let point):
            JSONText.object([
                ("type", JSONText.quoted("Point")),
                ("coordinates", "[\(NGSILD.number(point.lon)),\(NGSILD.number(point.lat))]"),
            ])
        }
    }
}

extension ContextAttribute {
    func json(_ format: ContextFormat) -> String {
        if format == .keyValues { return value.json }
        var members = [("type", JSONText.quoted(kind.rawValue))]
        if kind == .relationship, case .text(let object) = value {
            members.append(("object", JSONText.quoted(object)))
        } else if case .time = value {
            members.append(("value", JSONText.object([("@type", "\"DateTime\""), ("@value", value.json)])))
        } else {
            members.append(("value", value.json))
        }
        if let observedAt { members.append(("observedAt", JSONText.quoted(NGSILD.dateTime(observedAt)))) }
        return JSONText.object(members)
    }
}

extension ContextEntity {
    /// The entity as JSON: only `attributes` when named (id and type always), with the core
    /// `@context` member when the answer is JSON-LD.
    public func json(_ format: ContextFormat, attributes only: Set<String>? = nil, withContext: Bool) -> String {
        var members = [("id", JSONText.quoted(id)), ("type", JSONText.quoted(type.rawValue))]
        for attribute in attributes where only?.contains(attribute.name) ?? true {
            members.append((attribute.name, attribute.json(format)))
        }
        if withContext { members.append(("@context", JSONText.quoted(NGSILD.coreContext))) }
        return JSONText.object(members)
    }
}
