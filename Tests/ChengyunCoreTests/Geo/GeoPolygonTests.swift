import ChengyunCore
import Foundation
import Testing

@Suite struct GeoPolygonTests {
    let square = try! GeoPolygon(rings: [
        [
            GeoPoint(lon: 0, lat: 0), GeoPoint(lon: 10, lat: 0),
            GeoPoint(lon: 10, lat: 10), GeoPoint(lon: 0, lat: 10),
        ]
    ])

    @Test func ringsAreClosedOnCreation() {
        #expect(square.outer.count == 5)
        #expect(square.outer.first == square.outer.last)
    }

    @Test func pointInsideAndOutside() {
        #expect(square.contains(GeoPoint(lon: 5, lat: 5)))
        #expect(!square.contains(GeoPoint(lon: 15, lat: 5)))
        #expect(!square.contains(GeoPoint(lon: 5, lat: -0.1)))
    }

    @Test func holesAreExcluded() throws {
        let withHole = try GeoPolygon(rings: [
            square.outer,
            [
                GeoPoint(lon: 4, lat: 4), GeoPoint(lon: 6, lat: 4),
                GeoPoint(lon: 6, lat: 6), GeoPoint(lon: 4, lat: 6),
            ],
        ])
        #expect(!withHole.contains(GeoPoint(lon: 5, lat: 5)))
        #expect(withHole.contains(GeoPoint(lon: 2, lat: 2)))
    }

    @Test func concavePolygon() throws {
        // An L shape: the notch at the top right is outside.
        let l = try GeoPolygon(rings: [
            [
                GeoPoint(lon: 0, lat: 0), GeoPoint(lon: 2, lat: 0), GeoPoint(lon: 2, lat: 1),
                GeoPoint(lon: 1, lat: 1), GeoPoint(lon: 1, lat: 2), GeoPoint(lon: 0, lat: 2),
            ]
        ])
        #expect(l.contains(GeoPoint(lon: 0.5, lat: 1.5)))
        #expect(l.contains(GeoPoint(lon: 1.5, lat: 0.5)))
        #expect(!l.contains(GeoPoint(lon: 1.5, lat: 1.5)))
    }

    @Test func aHundredMetreSquareIsTenThousandSquareMetres() throws {
        // At latitude 31.3°, 100 m is 100 / 111,195 degrees of latitude and that / cos(31.3°) of longitude.
        let dLat = 100 / (6_371_008.8 * .pi / 180)
        let dLon = dLat / cos(31.3 * .pi / 180)
        let cell = try GeoPolygon(rings: [
            [
                GeoPoint(lon: 120.6, lat: 31.3), GeoPoint(lon: 120.6 + dLon, lat: 31.3),
                GeoPoint(lon: 120.6 + dLon, lat: 31.3 + dLat), GeoPoint(lon: 120.6, lat: 31.3 + dLat),
            ]
        ])
        #expect(abs(cell.areaSquareMetres - 10_000) < 1)
    }

    @Test func invalidGeometryIsRefusedWithFieldIssues() {
        #expect(throws: DomainError.self) {
            try GeoPolygon(rings: [[GeoPoint(lon: 0, lat: 0), GeoPoint(lon: 1, lat: 1)]])
        }
        #expect(throws: DomainError.self) {
            try GeoPolygon(rings: [[GeoPoint(lon: 0, lat: 0), GeoPoint(lon: 200, lat: 0), GeoPoint(lon: 0, lat: 1)]])
        }
    }

    @Test func geoJSONRoundTrip() throws {
        let data = try JSONEncoder().encode(square)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"Polygon\""))
        #expect(try JSONDecoder().decode(GeoPolygon.self, from: data) == square)
        let point = Data(#"{"type":"Point","coordinates":[1,2]}"#.utf8)
        #expect(throws: DomainError.self) { try JSONDecoder().decode(GeoPolygon.self, from: point) }
    }

    @Test func haversineDistance() {
        // One degree of latitude is 111.195 km on the mean-radius sphere.
        let d = GeoPoint(lon: 120, lat: 31).distance(to: GeoPoint(lon: 120, lat: 32))
        #expect(abs(d - 111_195) < 1)
    }
}

@Suite struct SpatialBucketsTests {
    /// Property: whatever the box, every point inside it falls in one of the buckets the box is filed under.
    @Test func everyPointOfABoxIsInOneOfItsBuckets() {
        var rng = SplitMix64(seed: 42)
        let buckets = SpatialBuckets(degrees: 0.005)
        for _ in 0..<2000 {
            let lon = 120 + Double(rng.next() % 100_000) / 100_000
            let lat = 31 + Double(rng.next() % 100_000) / 100_000
            let width = Double(rng.next() % 2000) / 100_000, height = Double(rng.next() % 2000) / 100_000
            let box = BoundingBox(minLon: lon, minLat: lat, maxLon: lon + width, maxLat: lat + height)
            let keys = Set(buckets.keys(covering: box))
            for _ in 0..<5 {
                let point = GeoPoint(
                    lon: lon + width * Double(rng.next() % 1001) / 1000,
                    lat: lat + height * Double(rng.next() % 1001) / 1000)
                #expect(keys.contains(buckets.key(of: point)))
            }
        }
    }
}
