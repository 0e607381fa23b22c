import ChengyunCore
import Testing

/// GCJ-02 ↔ WGS-84: the published transform's values for three cities (the test points another
/// implementation, googollee/eviltransform, checks itself against), the reverse undoing the
/// forward everywhere in China, and no change outside it.
@Suite struct MarsCoordinatesTests {
    // wgsLat, wgsLon, gcjLat, gcjLon
    static let points: [(Double, Double, Double, Double)] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215), // Shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363), // Shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657), // Beijing
    ]

    @Test func theForwardTransformMatchesThePublishedValues() {
        for (wgsLat, wgsLon, gcjLat, gcjLon) in Self.points {
            let mars = MarsCoordinates.gcj02(fromWGS84: GeoPoint(lon: wgsLon, lat: wgsLat))
            #expect(abs(mars.lon - gcjLon) < 1e-9 && abs(mars.lat - gcjLat) < 1e-9, "\(mars)")
        }
    }

    @Test func theReverseFindsThePublishedOrigin() {
        for (wgsLat, wgsLon, gcjLat, gcjLon) in Self.points {
            let earth = MarsCoordinates.wgs84(fromGCJ02: GeoPoint(lon: gcjLon, lat: gcjLat))
            // 1e-7 degrees is about a centimetre.
            #expect(abs(earth.lon - wgsLon) < 1e-7 && abs(earth.lat - wgsLat) < 1e-7, "\(earth)")
        }
    }

    @Test func theReverseUndoesTheForwardAllOverChina() {
        var random = SplitMix64(seed: 202)
        for _ in 0..<2_000 {
            let point = GeoPoint(
                lon: 73.5 + Double(random.next() % 1_000_000) / 1_000_000 * 61,
                lat: 18 + Double(random.next() % 1_000_000) / 1_000_000 * 35)
            let back = MarsCoordinates.wgs84(fromGCJ02: MarsCoordinates.gcj02(fromWGS84: point))
            #expect(abs(back.lon - point.lon) < 1e-7 && abs(back.lat - point.lat) < 1e-7, "\(point)")
            // The offset is a few hundred metres at most, never zero inside China.
            let mars = MarsCoordinates.gcj02(fromWGS84: point)
            #expect(abs(mars.lon - point.lon) < 0.02 && abs(mars.lat - point.lat) < 0.02)
        }
    }

    @Test func outsideChinaNothingMoves() {
        let london = GeoPoint(lon: -0.1276, lat: 51.5072)
        #expect(MarsCoordinates.gcj02(fromWGS84: london) == london)
        #expect(MarsCoordinates.wgs84(fromGCJ02: london) == london)
    }
}
