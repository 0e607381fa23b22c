import ChengyunCore
import Foundation
import SQLKit
import SQLiteNIO

/// A dataset's records: a table of its own (as CKAN's DataStore gives each resource one), one
/// typed column per field (`f_<name>`), keyed by the record key, each row stamped with the load
/// that last wrote it. The same SQL on SQLite and PostgreSQL.
struct DatasetTable: Sendable {
    let name: String
    let fields: [DatasetField]

    init(datasetId: String, fields: [DatasetField]) {
        name = "dsr_" + datasetId.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        self.fields = fields
    }

    static func column(_ field: DatasetField) -> String { "f_" + field.name }

    /// An index's name: short whatever the field's (PostgreSQL cuts names at 63 bytes), and
    /// apart from every other index's.
    func index(_ what: String) -> String {
        "ix_" + String(RecordCleaner.fnv1a(name + "|" + what), radix: 16)
    }

    static func sqlType(_ type: FieldType) -> String {
        switch type {
        case .string, .date, .geometry: "TEXT"
        case .integer, .boolean, .datetime: "BIGINT"
        case .number, .lon, .lat: "DOUBLE PRECISION"
        }
    }

    var lon: DatasetField? { fields.first { $0.type == .lon } }
    var lat: DatasetField? { fields.first { $0.type == .lat } }
    /// The field a time range filters on: the first datetime.
    var time: DatasetField? { fields.first { $0.type == .datetime } }

    /// The table's columns after the key and version, as `CREATE TABLE` lists them.
    static func definition(_ columns: String) -> String {
        "record_key TEXT PRIMARY KEY, load_version BIGINT NOT NULL, " + columns
    }

    /// On SQLite the records are stored in their key's order, in one B-tree instead of a table and
    /// a key index (as `readings` are): one write less a record. Not when a field holds geometry:
    /// SQLite keeps large rows better in a rowid table.
    func compact(_ db: any SQLDatabase) -> String { compact(dialect: db.dialect.name) }

    func compact(dialect: String) -> String {
        dialect == "sqlite" && !fields.contains { $0.type == .geometry } ? " WITHOUT ROWID" : ""
    }

    /// Makes the table at a dataset's first load, or adds the columns of fields added since;
    /// `existing` is the columns made so far (field name → type). A field whose type changed is
    /// refused: its stored values would no longer read. A new table gets its indexes besides the
    /// key now, or (`indexing` false) from `createIndexes` once its first records are in.
    func ensure(existing: [String: FieldType]?, indexing: Bool = true, on db: any SQLDatabase) async throws
        -> [String: FieldType]
    {
        let wanted = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.type) })
        guard let existing else {
            let columns = fields.map { "\(Self.column($0)) \(Self.sqlType($0.type))" }.joined(separator: ", ")
            try await db.raw(
                "CREATE TABLE \(unsafeRaw: name) (\(unsafeRaw: Self.definition(columns)))\(unsafeRaw: compact(db))"
            ).run()
            if indexing { try await createIndexes(on: db) }
            return wanted
        }
        for field in fields {
            if let type = existing[field.name] {
                guard Self.sqlType(type) == Self.sqlType(field.type) else {
                    throw DomainError(
                        .conflict, code: "field_type_changed",
                        "Field \(field.name) was \(type.rawValue) when the records were loaded; clear the records first."
                    )
                }
            } else {
                try await db.raw(
                    "ALTER TABLE \(unsafeRaw: name) ADD COLUMN \(unsafeRaw: Self.column(field)) \(unsafeRaw: Self.sqlType(field.type))"
                ).run()
                if field.indexed == true { try await createIndex(field, on: db) }
            }
        }
        return existing.merging(wanted) { $1 }
    }

    /// Whether a new table is filled before its indexes besides the key are made
    /// (`createIndexes`). On PostgreSQL: each index is then one sort of its column, spilling to
    /// disk past `maintenance_work_mem`, rather than a B-tree grown a record at a time (a
    /// million-row first load went from 59k to 93k rows/s). Not on SQLite, whose temporary
    /// store is kept in memory here: the sorts would hold the whole column, and the load there is
    /// bound by its cleaning anyway (measured no faster).
    static func indexesAfterFirstLoad(_ db: any SQLDatabase) -> Bool { db.dialect.name == "postgresql" }

    /// The indexes besides the key: the position, the time field and the indexed fields.
    func createIndexes(on db: any SQLDatabase) async throws {
        if let lon, let lat {
            try await db.raw(
                "CREATE INDEX \(unsafeRaw: index("position")) ON \(unsafeRaw: name)(\(unsafeRaw: Self.column(lon)), \(unsafeRaw: Self.column(lat)))"
            ).run()
        }
        for field in fields where field.indexed == true || field.name == time?.name {
            try await createIndex(field, on: db)
        }
    }

    private func createIndex(_ field: DatasetField, on db: any SQLDatabase) async throws {
        try await db.raw(
            "CREATE INDEX \(unsafeRaw: index("f_" + field.name)) ON \(unsafeRaw: name)(\(unsafeRaw: Self.column(field)))"
        ).run()
    }

    /// Inserts or replaces records by key: on SQLite one prepared statement run for each record on
    /// the connection's own handle (no SQL built, no values encoded through SQLKit a record); on
    /// PostgreSQL a batch of many by `COPY` (`copyUpsert`), a few by one multi-row statement.
    func upsert(_ records: [CleanRecord], version: Int64, on db: any SQLDatabase) async throws {
        let columns = fields.map(Self.column)
        let header = "INSERT INTO \(name) (record_key, load_version, \(columns.joined(separator: ", "))) VALUES "
        let update =
            " ON CONFLICT (record_key) DO UPDATE SET load_version = excluded.load_version, "
            + columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        if let sqlite = db as? SQLiteDirectDatabase {
            // One prepared statement a record (measured faster on SQLite than several to a statement).
            let sql = header + "(?, ?" + String(repeating: ", ?", count: columns.count) + ")" + update
            try sqlite.handle.runEach(sql, count: records.count) {
                Self.sqliteRow(records[$0], version: version, into: &$1)
            }
            return
        }
        // A key twice in one statement is an error on PostgreSQL: the later row wins, as it
        // would one statement later.
        var latest: [String: Int] = [:]
        for (index, record) in records.enumerated() { latest[record.key] = index }
        let records =
            latest.count == records.count
            ? records : records.enumerated().filter { latest[$0.element.key] == $0.offset }.map(\.element)
        if records.count >= Self.copyThreshold, let connection = PostgresSessionDatabase.connection(of: db) {
            try await copyUpsert(records, version: version, update: update, into: connection, on: db)
            return
        }
        try await insert(records, version: version, then: update, on: db)
    }

    /// Inserts `records` a few hundred to a statement (as many binds as PostgreSQL takes), each
    /// statement ending with `then` (an `ON CONFLICT` clause, or nothing).
    func insert(_ records: [CleanRecord], version: Int64, then: String = "", on db: any SQLDatabase) async throws {
        let header =
            "INSERT INTO \(name) (record_key, load_version, \(fields.map(Self.column).joined(separator: ", "))) VALUES "
        let perStatement = max(1, min(500, 30_000 / (fields.count + 2)))
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(start + perStatement, records.endIndex)
            var query = SQLQueryString(header)
            for index in start..<end {
                let record = records[index]
                query.appendLiteral(index == start ? "(" : ", (")
                query.appendInterpolation(bind: record.key)
                query.appendLiteral(", ")
                query.appendInterpolation(bind: version)
                for value in record.values {
                    // An untyped NULL, not a bound text one: PostgreSQL takes it in any column.
                    if value == .null {
                        query.appendLiteral(", NULL")
                    } else {
                        query.appendLiteral(", ")
                        query.appendInterpolation(Self.bindable(value))
                    }
                }
                query.appendLiteral(")")
            }
            query.appendLiteral(then)
            try await db.raw(query).run()
            start = end
        }
    }

    /// A record's binds for SQLite, in the table's column order, after those in `binds`.
    static func sqliteRow(_ record: CleanRecord, version: Int64, into binds: inout [SQLiteData]) {
        binds.append(.text(record.key))
        binds.append(.integer(Int(version)))
        for value in record.values {
            switch value {
            case .null: binds.append(.null)
            case .text(let text): binds.append(.text(text))
            case .integer(let number): binds.append(.integer(Int(number)))
            case .number(let number): binds.append(.float(number))
            }
        }
    }

    /// How many records there are.
    func count(on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: name)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A value read back from its column.
    func value(_ row: any SQLRow, _ field: DatasetField) throws -> FieldValue {
        let column = Self.column(field)
        switch field.type {
        case .string, .date, .geometry:
            return try row.decode(column: column, as: String?.self).map(FieldValue.text) ?? .null
        case .integer, .boolean, .datetime:
            return try row.decode(column: column, as: Int64?.self).map(FieldValue.integer) ?? .null
        case .number, .lon, .lat:
            return try row.decode(column: column, as: Double?.self).map(FieldValue.number) ?? .null
        }
    }
}

/// What a consumer asks of a dataset's records: fields equal to values, a bounding box, a time
/// range on the first datetime field, and the page after a record key.
struct RecordQuery: Sendable {
    var equals: [(field: DatasetField, value: FieldValue)] = []
    var bbox: [Double]?
    var from: Int64?
    var to: Int64?
    var afterKey: String?
    var offset = 0
    var limit = 100
}

extension DatasetTable {
    /// A page of records by key: `(key, values in field order)`.
    func records(_ query: RecordQuery, on db: any SQLDatabase) async throws -> [(key: String, values: [FieldValue])] {
        let select = matching(
            query, db.select().column("record_key").columns(fields.map { SQLIdentifier(Self.column($0)) }).from(name))
        let key: any SQLExpression =
            db.dialect.name == "postgresql" ? SQLRaw("record_key COLLATE \"C\"") : SQLIdentifier("record_key")
        if let after = query.afterKey { select.where(key, .greaterThan, SQLBind(after)) }
        if query.offset > 0 { select.offset(query.offset) }
        return try await select.orderBy(key).limit(query.limit).all().map { row in
            (try row.decode(column: "record_key", as: String.self), try fields.map { try value(row, $0) })
        }
    }

    /// The records of these keys as they stand, by key (a key no longer there is absent).
    func records(keys: Set<String>, on db: any SQLDatabase) async throws -> [String: [FieldValue]] {
        var found: [String: [FieldValue]] = [:]
        for part in Array(keys).chunks(of: 500) {
            let rows = try await db.select().column("record_key").columns(fields.map { SQLIdentifier(Self.column($0)) })
                .from(name).where("record_key", .in, part).all()
            for row in rows {
                found[try row.decode(column: "record_key", as: String.self)] = try fields.map { try value(row, $0) }
            }
        }
        return found
    }

    /// How many records match (CKAN's `total`).
    func count(_ query: RecordQuery, on db: any SQLDatabase) async throws -> Int {
        let row = try await matching(query, db.select().column(SQLRaw("COUNT(*)"), as: "n").from(name)).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    private func matching(_ query: RecordQuery, _ select: SQLSelectBuilder) -> SQLSelectBuilder {
        for (field, value) in query.equals {
            select.where(SQLIdentifier(Self.column(field)), .equal, Self.bindable(value))
        }
        if let box = query.bbox, let lon, let lat {
            select.where(SQLIdentifier(Self.column(lon)), .greaterThanOrEqual, box[0])
                .where(SQLIdentifier(Self.column(lon)), .lessThanOrEqual, box[2])
                .where(SQLIdentifier(Self.column(lat)), .greaterThanOrEqual, box[1])
                .where(SQLIdentifier(Self.column(lat)), .lessThanOrEqual, box[3])
        }
        if let time {
            if let from = query.from { select.where(SQLIdentifier(Self.column(time)), .greaterThanOrEqual, from) }
            if let to = query.to { select.where(SQLIdentifier(Self.column(time)), .lessThan, to) }
        }
        return select
    }

    static func bindable(_ value: FieldValue) -> SQLBind {
        switch value {
        case .null: SQLBind(String?.none)
        case .text(let text): SQLBind(text)
        case .integer(let number): SQLBind(number)
        case .number(let number): SQLBind(number)
        }
    }
}
