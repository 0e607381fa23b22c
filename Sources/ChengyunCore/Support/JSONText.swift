/// A string as a JSON string literal, for the places that write JSON by hand (the OpenAPI
/// document's fixed form, Open311's answers, streamed dataset records): quotes, backslashes and
/// control characters escaped, and U+2028/U+2029 too, which some JavaScript parsers stop at.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        var out = "\""
        append(text, to: &out)
        return out + "\""
    }

    static func append(_ text: String, to out: inout String) {
        out.reserveCapacity(out.utf8.count + text.utf8.count + 2)
        // Most text needs no escape (ids, codes, names): appended whole, where a scalar at a
        // time was most of the cost of writing a webhook batch. 0xE2 leads U+2028 and U+2029.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

extension JSONText {
    /// An object of members whose values are JSON text already, in the order given.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
