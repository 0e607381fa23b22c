/// One Open311 GeoReport v2 answer as a tree, rendered to either of the spec's two formats from
/// the same value, so `.json` and `.xml` can never disagree. Objects keep their field order.
public indirect enum Open311Document: Equatable, Sendable {
    case object([(String, Open311Document)])
    /// A list; in XML each element is wrapped in `element` (`<services><service>…`).
    case list(element: String, [Open311Document])
    case text(String)
    case number(Double)
    case bool(Bool)
    case null

    public static func == (lhs: Open311Document, rhs: Open311Document) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.list(e1, a), .list(e2, b)): e1 == e2 && a == b
        case let (.text(a), .text(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    public static func optional(_ text: String?) -> Open311Document { text.map(Open311Document.text) ?? .null }

    // MARK: JSON

    public var json: String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case let .object(fields):
            out += "{"
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.jsonString(key, into: &out)
                out += ":"
                value.writeJSON(into: &out)
            }
            out += "}"
        case let .list(_, items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        case let .text(text): Self.jsonString(text, into: &out)
        case let .number(value): out += Self.number(value)
        case let .bool(value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static func jsonString(_ text: String, into out: inout String) { out += JSONText.quoted(text) }

    /// Integers without a fraction (lat/long and counts keep all their digits otherwise).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    // MARK: XML

    /// The document as XML with `root` as its outermost element.
    public func xml(root: String) -> String {
        var out = #"<?xml version="1.0" encoding="utf-8"?>"#
        writeXML(name: root, into: &out)
        return out
    }

    private func writeXML(name: String, into out: inout String) {
        switch self {
        case let .object(fields):
            out += "<\(name)>"
            for (key, value) in fields { value.writeXML(name: key, into: &out) }
            out += "</\(name)>"
        case let .list(element, items):
            out += "<\(name)>"
            for item in items { item.writeXML(name: element, into: &out) }
            out += "</\(name)>"
        case let .text(text): out += "<\(name)>" + Self.escapeXML(text) + "</\(name)>"
        case let .number(value): out += "<\(name)>" + Self.number(value) + "</\(name)>"
        case let .bool(value): out += "<\(name)>\(value)</\(name)>"
        case .null: out += "<\(name)/>"
        }
    }

    /// Escapes markup and drops the characters XML 1.0 cannot carry at all.
    static func escapeXML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
