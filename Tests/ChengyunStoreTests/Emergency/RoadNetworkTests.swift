import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// A road network loaded from GeoJSON changes what nearest dispatch suggests: a resource just
/// across a river is near by the straight line and far by road.
@Suite struct RoadNetworkTests {
    /// Two roads along the banks (31.30 and 31.31) joined by one bridge at 120.64.
    static let file = """
        {"type": "FeatureCollection", "name": "两岸道路", "features": [
          {"type": "Feature", "properties": {"highway": "residential", "name": "南岸路"},
           "geometry": {"type": "LineString", "coordinates": [[120.60, 31.30], [120.64, 31.30]]}},
          {"type": "Feature", "properties": {"roadClass": "residential"},
           "geometry": {"type": "MultiLineString", "coordinates": [[[120.64, 31.30], [120.64, 31.31]],
                                                                  [[120.64, 31.31], [120.60, 31.31]]]}}
        ]}
        """

    @Test(arguments: TestBackend.available) func nearestGoesByRoadOnceANetworkIsLoaded(backend: TestBackend)
        async throws
    {
        try await withPlatform(backend) { platform in
            let f = try await CaseFixture.make(platform)
            let admin = f.staff(.admin)
            let across = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "FE-N", name: "北岸消防车", kind: .vehicle, capabilities: ["fire"], lon: 120.60, lat: 31.3095),
                by: admin)
            let along = try await platform.emergency.register(
                NewEmergencyResource(
                    code: "FE-S", name: "南岸消防车", kind: .vehicle, capabilities: ["fire"], lon: 120.615, lat: 31.30),
                by: admin)
            let scene = GeoPoint(lon: 120.60, lat: 31.30)
            let dispatcher = f.staff(.dispatcher)
            var found = try await platform.emergency.nearest(to: scene, capability: "fire", count: 2, by: dispatcher)
            #expect(
                found.map(\.resourceId) == [across.id, along.id] && found.allSatisfy { $0.measure == .straightLine })
            #expect(try await platform.roads.current() == nil)
            #expect(
                try await platform.emergency.nearest(
                    to: scene, kind: .team, capability: "fire", count: 2, by: dispatcher
                )
                .isEmpty, "a team is asked for: the engines are vehicles")

            let input = try JSONDecoder().decode(RoadNetworkInput.self, from: Data(Self.file.utf8))
            let loaded = try await platform.roads.load(input, by: admin)
            #expect(loaded.roads == 3 && loaded.vertices == 4 && loaded.name == "两岸道路")
            found = try await platform.emergency.nearest(to: scene, capability: "fire", count: 2, by: dispatcher)
            #expect(found.map(\.resourceId) == [along.id, across.id] && found.allSatisfy { $0.measure == .road })
            // The south bank engine: 1,426 m from the scene's vertex, all of it off-road at 15 km/h.
            let south = scene.distance(to: along.position)
            #expect(abs(found[0].etaSeconds - south / (15_000.0 / 3600)) < 0.01)
            // The north bank one drives round by the bridge at 20 km/h.
            let round =
                2 * GeoPoint(lon: 120.60, lat: 31.30).distance(to: GeoPoint(lon: 120.64, lat: 31.30))
                + GeoPoint(lon: 120.64, lat: 31.30).distance(to: GeoPoint(lon: 120.64, lat: 31.31))
            #expect(found[1].distanceMetres > round && found[1].etaSeconds > round / (20_000.0 / 3600))

            // A bad file is refused whole and the network in use stays.
            let bad = try JSONDecoder().decode(
                RoadNetworkInput.self,
                from: Data(
                    #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[200,31.3],[120.6,31.3]]}}]}"#
                        .utf8))
            await expectIssues(["features[0].geometry", "features"]) { try await platform.roads.load(bad, by: admin) }
            #expect(try await platform.roads.current()?.id == loaded.id)
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(
                    RoadNetworkInput.self,
                    from: Data(
                        #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]}}]}"#
                            .utf8))
            }
        }
    }
}
