import PostgresKit
import PostgresNIO
import ChengyunCore
import SQLKit
import Synchronization

/// Named prepared statements for a hot path on PostgreSQL (issue 24 §5: the case loop). SQLKit
/// sends every statement unnamed, so the server parses and plans it each time; for the small
/// statements of a case step that is most of the server's work (`pgbench` on the step's statements,
/// 16 clients: 709–796 steps/s sent unnamed, 1,059–1,625/s prepared; BENCHMARKS.md). Statements
/// run inside `preparing` on a pooled connection (`PostgresSessionDatabase`) are prepared once per
/// connection, named by their text and parameter types, and executed by name after.
///
/// Bounded and safe to fall back: a statement is prepared only once its text has been seen before
/// (one-off texts never are), at most `perConnection` on a connection, only with binds PostgresNIO
/// encodes directly (anything else goes unnamed, as before), and never one without binds (`BEGIN`,
/// `COMMIT`, `ROLLBACK` stay unnamed, also in a failed transaction). PostgresNIO remembers a failed
/// preparation for the connection's life and answers every later run of that name with the same
/// error; so a statement whose first run on a connection failed runs unnamed there from then on,
/// as does one the server no longer accepts by name (a table changed under it, "cached plan must
/// not change result type", or a pooler that lost it). Such a statement is run again unnamed at
/// once outside a transaction; inside one the transaction is lost, and the caller is told to try
/// again (`concurrentUpdate`, which a case step retries). What a connection holds goes with it.
enum PostgresPrepared {
    /// Whether statements run by this task may be prepared (see `preparing`).
    @TaskLocal static var inScope = false
    /// Counts the statements run by name in this task (tests).
    @TaskLocal static var tally: Tally?

    /// Statements prepared on one connection at most.
    static let perConnection = 512
    /// Texts remembered as seen, at most (then forgotten all at once, and seen afresh).
    static let seenLimit = 4096
    /// What the server says when it no longer takes a prepared statement by its name.
    static let refusedByName: Set<String> = ["0A000", "26000", "42P05"]

    final class Tally: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func add() { count.withLock { $0 += 1 } }
    }

    private struct Registry {
        var seen: Set<String> = []
        var connections: [ObjectIdentifier: Held] = [:]
    }

    /// A connection's statements: prepared and run, and those to run unnamed there.
    private struct Held {
        var prepared: Set<String> = []
        var failed: Set<String> = []
    }

    private static let registry = Mutex(Registry())

    /// Runs `body` with the statements it runs on PostgreSQL prepared (nothing changes on SQLite).
    static func preparing<T>(_ body: () async throws -> T) async throws -> T {
        try await $inScope.withValue(true) { try await body() }
    }

    /// Runs `sql` with `binds` as a named prepared statement on `connection`, calling `onRow` for
    /// each row; false when it must go unnamed (out of scope, not seen before, not encodable
    /// directly, failed on this connection before, or refused by name before any row outside a
    /// transaction) — run it unnamed then.
    static func run(
        _ sql: String, _ binds: [any Encodable & Sendable], on connection: PostgresConnection, inTransaction: Bool,
        _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) async throws -> Bool {
        guard inScope, !binds.isEmpty, binds.count <= 64, sql.utf8.count <= 8192 else { return false }
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        for bind in binds {
            guard try append(bind, to: &bindings, types: &types) else { return false }
        }
        let name = statementName(sql, types)
        guard let first = admit(name, on: connection) else { return false }
        let rows = Mutex(0)
        do {
            try await Named.$text.withValue(.init(name: name, sql: sql, types: types)) {
                for try await row in try await connection.execute(Named(bindings: bindings), logger: connection.logger)
                {
                    rows.withLock { $0 += 1 }
                    onRow(row.sql())
                }
            }
        } catch {
            let refused = ((error as? PSQLError)?.serverInfo?[.sqlState]).map(refusedByName.contains) ?? false
            if first || refused { record(name, on: connection, failed: true) }
            guard refused else { throw error }
            if !inTransaction && rows.withLock({ $0 }) == 0 { return false }
            throw DomainError(
                .conflict, code: .concurrentUpdate, "The database changed under a prepared statement; try again.")
        }
        if first { record(name, on: connection, failed: false) }
        tally?.add()
        return true
    }

    /// Whether `name` runs by name on `connection`: nil for no, else whether this is its first
    /// run there (to be prepared). Registers the connection, forgotten when it closes.
    private static func admit(_ name: String, on connection: PostgresConnection) -> Bool? {
        let id = ObjectIdentifier(connection)
        let (answer, isNew) = registry.withLock { registry -> (Bool?, Bool) in
            let isNew = registry.connections[id] == nil
            let held = registry.connections[id, default: Held()]
            registry.connections[id] = held
            if held.failed.contains(name) { return (nil, isNew) }
            if held.prepared.contains(name) { return (false, isNew) }
            guard registry.seen.contains(name) else {
                if registry.seen.count >= seenLimit { registry.seen = [] }
                registry.seen.insert(name)
                return (nil, isNew)
            }
            return (held.prepared.count < perConnection ? true : nil, isNew)
        }
        if isNew {
            connection.closeFuture.whenComplete { _ in
                _ = registry.withLock { $0.connections.removeValue(forKey: id) }
            }
        }
        return answer
    }

    private static func record(_ name: String, on connection: PostgresConnection, failed: Bool) {
        registry.withLock {
            let id = ObjectIdentifier(connection)
            if failed { $0.connections[id]?.failed.insert(name) } else { $0.connections[id]?.prepared.insert(name) }
        }
    }

    /// The statements `connection` holds by name, and those it runs unnamed (tests).
    static func held(on connection: PostgresConnection) -> (prepared: Int, failed: Int) {
        registry.withLock {
            let held = $0.connections[ObjectIdentifier(connection)]
            return (held?.prepared.count ?? 0, held?.failed.count ?? 0)
        }
    }

    /// Encodes `value` as PostgresKit would by its direct path (nil as NULL, a PostgresNIO type as
    /// itself); false for anything that needs its other paths.
    private static func append<T: Encodable>(
        _ value: T, to bindings: inout PostgresBindings, types: inout [PostgresDataType]
    ) throws -> Bool {
        if let none = value as? any NoneOrSome, none.isNone {
            // Declared as PostgresKit declares an optional's nil: its wrapped type.
            bindings.appendNull()
            types.append(none.noneType)
        } else if let encodable = value as? any PostgresThrowingDynamicTypeEncodable {
            try bindings.append(encodable, context: .default)
            types.append(encodable.psqlType)
        } else {
            return false
        }
        return true
    }

    /// A statement's name: its text and parameter types (the same text with other types is another
    /// statement), FNV-1a.
    static func statementName(_ sql: String, _ types: [PostgresDataType]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for byte in sql.utf8 { mix(byte) }
        for type in types {
            mix(0)
            withUnsafeBytes(of: type.rawValue.littleEndian) { $0.forEach(mix) }
        }
        return "chengyun_" + String(hash, radix: 16)
    }

    /// PostgresNIO's prepared statements are types with static text; this one's text is the task's
    /// statement at hand, read by PostgresNIO as it sends it (within `run`'s `withValue`).
    private struct Named: PostgresPreparedStatement {
        struct Text: Sendable {
            var name: String
            var sql: String
            var types: [PostgresDataType]
        }
        typealias Row = PostgresRow

        @TaskLocal static var text: Text?
        static var name: String { text?.name ?? "" }
        static var sql: String { text?.sql ?? "" }
        static var bindingDataTypes: [PostgresDataType] { text?.types ?? [] }

        let bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}

/// Whether a value, whatever its type, is an optional's nil (`as Any?` cannot tell: it wraps the
/// value once more).
private protocol NoneOrSome {
    var isNone: Bool { get }
    /// The type a nil of this optional is sent as (its wrapped type's, else left to the server).
    var noneType: PostgresDataType { get }
}

extension Optional: NoneOrSome {
    fileprivate var isNone: Bool { self == nil }
    fileprivate var noneType: PostgresDataType { (Wrapped.self as? any PostgresEncodable.Type)?.psqlType ?? .null }
}
