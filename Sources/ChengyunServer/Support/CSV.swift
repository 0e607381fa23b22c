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
