import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Testing

@testable import ChengyunStore

@Suite struct RowCodingTests {
    private struct Probe: Encodable {
        var id = 1, areaPath = "", bucketX = 0, myURLProperty = "", stageClock = "", a = 0
    }

    @Test func columnNamesAreSQLKitSnakeCase() throws {
        #expect(SnakeCaseKey("areaPath").stringValue == "area_path")
        #expect(SnakeCaseKey("bucketX").stringValue == "bucket_x")
        #expect(SnakeCaseKey("myURLProperty").stringValue == "my_uRL_property")
        #expect(SnakeCaseKey("id").stringValue == "id")
        // The same names as SQLKit's own strategy, which the migrations were written against.
        let ours = try rowEncoder.encode(Probe()).map(\.0)
        let sqlKit = try SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase).encode(Probe()).map(\.0)
        #expect(ours == sqlKit)
    }

    private enum Colour: String, Encodable { case red, blue }
    private struct Versioned: Encodable {
        var id = "c1", note: String? = "x", count = 1, ratio = 0.5, colour: Colour? = .red, done = false,
            due: Int64? = nil
    }

    /// The column encoder names columns as SQLKit's does and sees nil, enums, numbers and flags;
    /// only what changed between two versions of a row is set.
    @Test func onlyTheChangedColumnsAreSet() throws {
        let names = try ColumnValuesEncoder.encode(Probe()).map(\.0)
        #expect(names == (try rowEncoder.encode(Probe()).map(\.0)))
        let before = Versioned()
        var after = before
        (after.note, after.colour, after.due, after.done) = (nil, .blue, 42, true)
        let changed = try changedColumns(after, from: before).map(\.0)
        #expect(changed == ["note", "colour", "done", "due"])
        #expect(try changedColumns(before, from: before).isEmpty)
        let values = try ColumnValuesEncoder.encode(after).map(\.1)
        #expect(values == [.text("c1"), .null, .integer(1), .real(0.5), .text("blue"), .integer(1), .integer(42)])
    }

    /// A row insert writes its column list once and a placeholder per value (NULL as such).
    @Test func aRowInsertBindsEachValue() throws {
        var serializer = SQLSerializer(database: SQLiteTestDatabase())
        try RowInsert(into: "t", Versioned(note: nil)).serialize(to: &serializer)
        #expect(
            serializer.sql
                == #"INSERT INTO "t" ("id", "note", "count", "ratio", "colour", "done", "due") VALUES (?1, NULL, ?2, ?3, ?4, ?5, NULL)"#
        )
        #expect(serializer.binds.count == 5)
    }
}

/// Just enough of a database for serialising with SQLite's dialect.
private struct SQLiteTestDatabase: SQLDatabase {
    var logger: Logger { Logger(label: "test") }
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { SQLiteDialect() }
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<
        Void
    > {
        eventLoop.makeSucceededVoidFuture()
    }
}
