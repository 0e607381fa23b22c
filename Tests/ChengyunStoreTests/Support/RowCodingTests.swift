import SQLKit
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
}
