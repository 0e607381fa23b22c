import Foundation

/// One record of a JSON, NDJSON or GeoJSON source as named text values: strings as they are,
/// numbers and booleans as JSON writes them, nested objects and arrays as JSON text; nulls left
/// out. A GeoJSON feature gives its properties, its geometry (as GeoJSON text, under `geometry`)
/// and, for a point, `lon` and `lat`.
public enum JSONRecord {
    enum Loose: Decodable {
        case null, flag(Bool), whole(Int64), real(Double), text(String), object([String: Loose]), list([Loose])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let flag = try? c.decode(Bool.self) {
                self = .flag(flag)
            } else if let whole = try? c.decode(Int64.self) {
                self = .whole(whole)
            } else if let real = try? c.decode(Double.self) {
                self = .real(real)
            } else if let text = try? c.decode(String.self) {
                self = .text(text)
            } else if let object = try? c.decode([String: Loose].self) {
                self = .object(object)
            } else {
                self = .list(try c.decode([Loose].self))
            }
        }

        var text: String? {
            switch self {
            case .null: nil
            case .flag(let flag): flag ? "true" : "false"
            case .whole(let whole): String(whole)
            case .real(let real): String(real)
            case .text(let text): text
            case .object, .list: json
            }
        }

        var json: String {
            switch self {
            case .null: "null"
            case .flag, .whole, .real: text ?? "null"
            case .text(let text):
                String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
            case .object(let object):
                "{"
                    + object.sorted { $0.key < $1.key }.map { Loose.text($0.key).json + ":" + $0.value.json }
                    .joined(separator: ",") + "}"
            case .list(let list): "[" + list.map(\.json).joined(separator: ",") + "]"
            }
        }
    }

    /// The named values of one element, or nil when it is not a JSON object.
    public static func values(_ bytes: [UInt8], feature: Bool) -> [String: String]? {
        guard case .object(let object)? = try? JSONDecoder().decode(Loose.self, from: Data(bytes)) else { return nil }
        guard feature else { return object.compactMapValues(\.text) }
        var values: [String: String] = [:]
        if case .object(let properties)? = object["properties"] { values = properties.compactMapValues(\.text) }
        if let geometry = object["geometry"], case .object(let shape) = geometry {
            values["geometry"] = geometry.json
            if case .text("Point")? = shape["type"], case .list(let point)? = shape["coordinates"], point.count >= 2,
                let lon = point[0].text, let lat = point[1].text
            {
                values["lon"] = values["lon"] ?? lon
                values["lat"] = values["lat"] ?? lat
            }
        }
        return values
    }
}
