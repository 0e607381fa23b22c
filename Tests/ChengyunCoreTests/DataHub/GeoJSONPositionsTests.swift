import ChengyunCore
import Foundation
import Testing

/// A Chinese map source's shapes are in GCJ-02 as its points are: the pipeline's `gcj02_to_wgs84`
/// moves every position of a geometry field, nested at any depth, and leaves altitude alone.
@Suite struct GeoJSONPositionsTests {
    /// The Shanghai test point (MarsCoordinatesTests): GCJ-02 and its WGS-84 position.
    static let mars = (lon: 121.531541859215, lat: 31.17530398364597)
    static let earth = (lon: 121.5272106, lat: 31.1774276)

    private func coordinates(_ text: String?) throws -> Any {
        let object = try JSONSerialization.jsonObject(with: Data(try #require(text).utf8)) as? [String: Any]
        return try #require(object?["coordinates"] ?? object?["geometries"])
    }

    private func expectEarth(_ position: Any?, altitude: Double? = nil) {
        let numbers = (position as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue ?? ($0 as? Double) } ?? []
        #expect(numbers.count == (altitude == nil ? 2 : 3))
        guard numbers.count >= 2 else { return }
        #expect(abs(numbers[0] - Self.earth.lon) < 1e-7 && abs(numbers[1] - Self.earth.lat) < 1e-7, "\(numbers)")
        if let altitude { #expect(numbers[2] == altitude) }
    }

    @Test func everyPositionMovesAtAnyDepth() throws {
        let (lon, lat) = Self.mars
        let toEarth = MarsCoordinates.wgs84(fromGCJ02:)
        let point = GeoJSONPositions.map(#"{"type":"Point","coordinates":[\#(lon),\#(lat),12.5]}"#, toEarth)
        expectEarth(try coordinates(point), altitude: 12.5)
        let ring = "[[\(lon),\(lat)],[\(lon),\(lat)],[\(lon),\(lat)],[\(lon),\(lat)]]"
        let polygon = GeoJSONPositions.map(#"{"type":"MultiPolygon","coordinates":[[\#(ring)]]}"#, toEarth)
        let rings = try #require(try coordinates(polygon) as? [[[Any]]])
        #expect(rings.count == 1 && rings[0].count == 1 && rings[0][0].count == 4)
        for position in rings[0][0] { expectEarth(position) }
        let collection = GeoJSONPositions.map(
            #"{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[\#(lon),\#(lat)]]}]}"#,
            toEarth)
        let line = try #require((try coordinates(collection) as? [[String: Any]])?.first?["coordinates"] as? [Any])
        expectEarth(line.first)
        // A bbox would no longer bound the moved shape: it goes.
        let boxed = GeoJSONPositions.map(
            #"{"type":"Point","bbox":[\#(lon),\#(lat),\#(lon),\#(lat)],"coordinates":[\#(lon),\#(lat)]}"#, toEarth)
        #expect(boxed?.contains("bbox") == false)
        // Outside China nothing moves, and the text is kept as written; 0 and 1 are numbers too.
        for outside in [
            #"{"type":"Point","coordinates":[0,0]}"#, #"{"coordinates":[[1, 52],[2,53]], "type":"LineString"}"#,
        ] {
            #expect(GeoJSONPositions.map(outside, toEarth) == outside)
        }
        #expect(GeoJSONPositions.map(#"{"type":"Point"}"#, toEarth) == nil)
        #expect(GeoJSONPositions.map(#"{"type":"Point","coordinates":["a","b"]}"#, toEarth) == nil)
        #expect(GeoJSONPositions.map("not json", toEarth) == nil)
    }

    @Test func thePipelineMovesAGeometryFieldWithThePoint() throws {
        let fields = [
            DatasetField("code", .string, title: "编号", key: true), DatasetField("area", .geometry, title: "范围"),
        ]
        var cleaner = try RecordCleaner(fields: fields, pipeline: CleaningPipeline(steps: [.gcj02ToWgs84]))
        _ = cleaner.header(["code", "area"])
        let (lon, lat) = Self.mars
        let shape = #"{"type":"LineString","coordinates":[[\#(lon),\#(lat)],[\#(lon),\#(lat)]]}"#
        guard case .success(let record) = cleaner.clean(cells: ["R1", shape], line: 2),
            case .text(let stored) = record.values[1]
        else {
            Issue.record("the shape is refused")
            return
        }
        #expect(record.corrected)
        for position in try #require(try coordinates(stored) as? [Any]) { expectEarth(position) }
        guard case .failure(let refusal) = cleaner.clean(cells: ["R2", #"{"type":"Point"}"#], line: 3) else {
            Issue.record("a geometry without coordinates is taken")
            return
        }
        #expect(refusal.field == "area" && refusal.reason == .notGeometry && refusal.line == 3)
        // A NUL character no PostgreSQL column holds: the record is refused, the load goes on.
        guard case .failure(let nul) = cleaner.clean(cells: ["R\u{0}3", shape], line: 4) else {
            Issue.record("a NUL character is taken")
            return
        }
        #expect(nul.field == "code" && nul.reason == .malformed)
    }
}
