import ChengyunCore
import Foundation

/// An uploaded CSV file read by column name: a header row naming the columns (any order, any
/// case), then records, blank lines skipped. A missing header or required column is refused
/// before any line is used.
struct CSVTable {
    private var reader: CSVReader
    private let columns: [String: Int]

    init(_ text: String, required: [String]) throws {
        reader = CSVReader(text)
        guard let header = reader.next() else {
            throw DomainError.validation([
                FieldIssue(field: "file", code: "empty_file", message: "The file has no header row.")
            ])
        }
        columns = Dictionary(
            header.fields.enumerated().map {
                ($0.element.trimmingCharacters(in: .whitespaces).lowercased(), $0.offset)
            },
            uniquingKeysWith: { first, _ in first })
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            throw DomainError.validation(
                missing.map {
                    FieldIssue(field: $0, code: "missing_column", message: "The header needs a \($0) column.")
                })
        }
    }

    struct Row {
        let line: Int
        fileprivate let fields: [String]
        fileprivate let columns: [String: Int]

        /// The trimmed value of a column; nil when the column is absent or the cell empty.
        func value(_ name: String) -> String? {
            guard let index = columns[name], index < fields.count else { return nil }
            let text = fields[index].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
    }

    mutating func next() -> Row? {
        while let record = reader.next() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            return Row(line: record.line, fields: record.fields, columns: columns)
        }
        return nil
    }
}
