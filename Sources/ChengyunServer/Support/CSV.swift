import Hummingbird

/// RFC 4180 CSV lines, with a UTF-8 byte-order mark first so spreadsheet programs read Chinese.
enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\r\n"
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
            throw Problem(status: .unsupportedMediaType, code: "unsupported_media_type", detail: "Send the file as text/csv.")
        }
        let buffer = try await collectBody(upTo: 16 * 1024 * 1024)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem.badRequest("invalid_encoding", "The file must be UTF-8.")
        }
        return text.hasPrefix(CSV.byteOrderMark) ? String(text.dropFirst()) : text
    }
}
