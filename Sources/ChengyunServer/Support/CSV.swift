import ChengyunCore
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
    /// An uploaded CSV file: `text/csv` in UTF-8 (a leading byte-order mark is dropped) or in the
    /// charset its Content-Type names (a 12345 or department system's GBK export, say), up to 16 MB.
    mutating func csvText() async throws -> String {
        guard headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type", detail: "Send the file as text/csv.")
        }
        let charset = try bodyCharset()
        let buffer = try await collectBody(upTo: 16 * 1024 * 1024)
        let text: String
        do {
            text = try charset.text(of: buffer.readableBytesView)
        } catch let error as SourceError {
            throw Problem.badRequest(error.code, error.message)
        }
        return text.hasPrefix(CSV.byteOrderMark) ? String(text.dropFirst()) : text
    }

    /// The body's character set, from the Content-Type's `charset` (UTF-8 when it names none).
    func bodyCharset() throws -> SourceCharset {
        switch SourceCharset.of(contentType: headers[.contentType]) {
        case .success(let charset): return charset ?? .utf8
        case .failure:
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_charset",
                detail: "The body's charset is not one read: \(SourceCharset.accepted).")
        }
    }
}
