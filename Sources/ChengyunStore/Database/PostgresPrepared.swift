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
/// error; so a statement whose first run on a connection failed runs unnamed there from then on.
/// One the server no longer takes by name (a table changed under it, "cached plan must not change
/// result type"; a pooler that lost it) runs unnamed on every connection from then on: at once
/// outside a transaction; inside one the transaction is lost, and the caller is told to try again
/// (`concurrentUpdate`, which a case step retries, unnamed wherever it lands). What a connection
/// holds goes with it when it closes. Statements of more than 64 binds or 8 KB stay unnamed.
enum PostgresPrepared {
    /// Whether statements run by this task may be prepared (see `preparing`).
    @TaskLocal static var inScope = false
    /// Counts the statements run by name in this task (tests).
    @TaskLocal static var tally: Tally?

    /// Statements prepared on one connection at most.
    static let perConnection = 512
    /// Texts remembered as seen, at most (then forgotten all at once, and seen afresh).
    static let seenLimit = 4096
    /// What the server says when it does not take a statement by its name: it does not know it
    /// (26000) or already has another by it (42P05) — and, for one it took before, that its plan
    /// no longer fits the tables (0A000; on a first run that code is a feature the SQL lacks).
    static func refusedByName(_ state: String, first: Bool) -> Bool {
        state == "26000" || state == "42P05" || (state == "0A000" && !first)
    }

    /// Statements run by name, and how many of them in a transaction.
    final class Tally: Sendable {
        private let counts = Mutex((all: 0, inTransactions: 0))
        var value: Int { counts.withLock { $0.all } }
        var inTransactions: Int { counts.withLock { $0.inTransactions } }
        func add(inTransaction: Bool) {
            counts.withLock {
                $0.all += 1
                if inTransaction { $0.inTransactions += 1 }
            }
        }
    }

    private struct Registry {
        var seen: Set<String> = []
        /// Names the server refused: unnamed everywhere from then on.
        var refused: Set<String> = []
        var connections: [ObjectIdentifier: Held] = [:]
        var registrations: UInt64 = 0
    }

    /// A connection's statements: prepared and run, and those to run unnamed there.
    private struct Held {
        /// Which registration this is (a closed connection's address may be a new one's).
        var token: UInt64
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
        var rows = 0
        do {
            try await Named.$text.withValue(.init(name: name, sql: sql, types: types)) {
                for try await row in try await connection.execute(Named(bindings: bindings), logger: connection.logger)
                {
                    rows += 1
                    onRow(row.sql())
                }
            }
        } catch {
            let state = (error as? PSQLError)?.serverInfo?[.sqlState]
            let refused = state.map { refusedByName($0, first: first) } ?? false
            if first || refused { record(name, on: connection, failed: true, refused: refused) }
            guard refused else { throw error }
            if !inTransaction && rows == 0 { return false }
            throw DomainError(
                .conflict, code: .concurrentUpdate, "The database changed under a prepared statement; try again.")
        }
        if first { record(name, on: connection, failed: false) }
        tally?.add(inTransaction: inTransaction)
        return true
    }

    /// Whether `name` runs by name on `connection`: nil for no, else whether this is its first
    /// run there (to be prepared). Registers the connection, forgotten when it closes.
    private static func admit(_ name: String, on connection: PostgresConnection) -> Bool? {
        let id = ObjectIdentifier(connection)
        let (answer, registered) = registry.withLock { registry -> (Bool?, UInt64?) in
            var registered: UInt64?
            if registry.connections[id] == nil {
                registry.registrations += 1
                registered = registry.registrations
                registry.connections[id] = Held(token: registry.registrations)
            }
            guard let held = registry.connections[id], !registry.refused.contains(name),
                registry.refused.count < seenLimit, !held.failed.contains(name)
            else { return (nil, registered) }
            if held.prepared.contains(name) { return (false, registered) }
            guard registry.seen.contains(name) else {
                if registry.seen.count >= seenLimit { registry.seen = [] }
                registry.seen.insert(name)
                return (nil, registered)
            }
            return (held.prepared.count + held.failed.count < perConnection ? true : nil, registered)
        }
        if let registered {
            connection.closeFuture.whenComplete { _ in
                registry.withLock {
                    if $0.connections[id]?.token == registered { $0.connections[id] = nil }
                }
            }
        }
        return answer
    }

    private static func record(_ name: String, on connection: PostgresConnection, failed: Bool, refused: Bool = false) {
        registry.withLock {
            let id = ObjectIdentifier(connection)
            if failed { $0.connections[id]?.failed.insert(name) } else { $0.connections[id]?.prepared.insert(name) }
            if refused { $0.refused.insert(name) }
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
            // Declared with its wrapped type, as PostgresKit's unnamed path declares a nil (through
            // PostgresNIO's deprecated `Optional: PostgresDataConvertible`, its own nil test never
            // matching a generic value); a type PostgresNIO does not encode is left to the server.
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
