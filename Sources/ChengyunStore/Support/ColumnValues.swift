import SQLKit
import Synchronization

/// A row's columns as plain values, for comparing two versions of a row: a small encoder that
/// only records each key's column name and primitive value. SQLKit's query encoder builds SQL
/// expressions and an ordered dictionary for every row, which was a fifth of the single writer's
/// time on a case step when used just to find the changed columns.
enum ColumnValue: Equatable, Sendable {
    case text(String), integer(Int64), real(Double), null

    var expression: any SQLExpression {
        switch self {
        case .text(let value): SQLBind(value)
        case .integer(let value): SQLBind(value)
        case .real(let value): SQLBind(value)
        case .null: SQLLiteral.null
        }
    }
}

struct ColumnValuesEncoder {
    /// Each coding key as its column (snake_case) with its value, in encoding order.
    static func encode(_ row: some Encodable) throws -> [(String, ColumnValue)] {
        let sink = Sink()
        try row.encode(to: RowEncoder(sink: sink))
        return sink.columns
    }

    final class Sink {
        var columns: [(String, ColumnValue)] = []
    }

    struct Unsupported: Error { var key: String }

    private struct RowEncoder: Encoder {
        let sink: Sink
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(sink: sink))
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("A row is a keyed container.") }
        func singleValueContainer() -> any SingleValueEncodingContainer { fatalError("A row is a keyed container.") }
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let sink: Sink
        var codingPath: [any CodingKey] { [] }
        private func put(_ key: Key, _ value: ColumnValue) {
            sink.columns.append((SnakeCaseKey.column(for: key.stringValue), value))
        }

        mutating func encodeNil(forKey key: Key) { put(key, .null) }
        mutating func encode(_ value: String, forKey key: Key) { put(key, .text(value)) }
        mutating func encode(_ value: Int, forKey key: Key) { put(key, .integer(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) { put(key, .integer(value)) }
        mutating func encode(_ value: Double, forKey key: Key) { put(key, .real(value)) }
        mutating func encode(_ value: Bool, forKey key: Key) { put(key, .integer(value ? 1 : 0)) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) {
            put(key, value.map(ColumnValue.text) ?? .null)
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) {
            put(key, value.map { .integer(Int64($0)) } ?? .null)
        }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) {
            put(key, value.map(ColumnValue.integer) ?? .null)
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) {
            put(key, value.map(ColumnValue.real) ?? .null)
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) {
            put(key, value.map { .integer($0 ? 1 : 0) } ?? .null)
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            guard let value else { return put(key, .null) }
            try encode(value, forKey: key)
        }
        /// Enums and other single values (a raw-valued enum encodes its raw value).
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let single = Single()
            try value.encode(to: single)
            guard let captured = single.box.value else { throw Unsupported(key: key.stringValue) }
            put(key, captured)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            fatalError("Row columns are single values (\(key.stringValue)).")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            fatalError("Row columns are single values.")
        }
        mutating func superEncoder() -> any Encoder { fatalError("Row columns are single values.") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { fatalError("Row columns are single values.") }
    }

    private final class Box { var value: ColumnValue? }

    private struct Single: Encoder, SingleValueEncodingContainer {
        let box = Box()
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            fatalError("Row columns are single values.")
        }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("Row columns are single values.") }
        func singleValueContainer() -> any SingleValueEncodingContainer { self }
        mutating func encodeNil() { box.value = .null }
        mutating func encode(_ value: String) { box.value = .text(value) }
        mutating func encode(_ value: Int) { box.value = .integer(Int64(value)) }
        mutating func encode(_ value: Int64) { box.value = .integer(value) }
        mutating func encode(_ value: Double) { box.value = .real(value) }
        mutating func encode(_ value: Bool) { box.value = .integer(value ? 1 : 0) }
        mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }
    }
}

/// The INSERT of one flat row (single-value columns only), its column list written once per table
/// and shape: the statement the single writer runs most (history lines, audit entries) without
/// building and serialising a query tree for each.
struct RowInsert: SQLExpression {
    let table: String
    let columns: [(String, ColumnValue)]

    init(into table: String, _ row: some Encodable) throws {
        self.table = table
        columns = try ColumnValuesEncoder.encode(row)
    }

    private static let heads = Mutex<[String: String]>([:])

    func serialize(to serializer: inout SQLSerializer) {
        let names = columns.map(\.0)
        let key = table + "|" + names.joined(separator: ",")
        let head =
            Self.heads.withLock { $0[key] }
            ?? {
                let text =
                    "INSERT INTO \"\(table)\" (" + names.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES ("
                Self.heads.withLock { $0[key] = text }
                return text
            }()
        serializer.write(head)
        for (index, column) in columns.enumerated() {
            if index > 0 { serializer.write(", ") }
            switch column.1 {
            case .text(let value): serializer.write(bind: value)
            case .integer(let value): serializer.write(bind: value)
            case .real(let value): serializer.write(bind: value)
            case .null: serializer.write("NULL")
            }
        }
        serializer.write(")")
    }
}

extension SQLDatabase {
    /// Inserts one flat row (see `RowInsert`).
    func insert(row: some Encodable, into table: String) async throws {
        try await execute(sql: RowInsert(into: table, row)) { _ in }
    }
}
