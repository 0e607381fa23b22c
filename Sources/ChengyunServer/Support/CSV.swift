import Hummingbird

/// RFC 4180 CSV lines, with a UTF-8 byte-order mark first so spreadsheet programs read Chinese.
enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    static func line(_ fields: [String]) -> String {
        fields.map { raw in
            let field = neutralised(raw)
            return field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\r\n"
    }

    /// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return — text a reporter typed, say) gets a leading apostrophe, so it is shown
    /// as text (CSV injection). Plain numbers, negative ones included, stay numbers.
    static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        if Double(field) != nil,
            field.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." || $0 == "e" || $0 == "E" })
        {
            return field
        }
        return "'" + field
    }

    static func headers(filename: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return headers
    }
}

extension Request {
    /// An uploaded CSV file: `text/csv`, UTF-8 (a leading byte-order mark is dropped), up to 16 MB.
    mutating func csvText() async throws -> String {
        guard headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type", detail: "Send the file as text/csv.")
        }
        let buffer = try await collectBody(upTo: 16 * 1024 * 1024)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem.badRequest("invalid_encoding", "The file must be UTF-8.")
        }
        return text.hasPrefix(CSV.byteOrderMark) ? String(text.dropFirst()) : text
    }
}
