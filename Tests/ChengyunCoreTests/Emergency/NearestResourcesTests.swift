import ChengyunCore
import Foundation
import Testing

@Suite struct NearestResourcesTests {
    let scene = GeoPoint(lon: 120.6, lat: 31.3)
    /// Metres in a degree of latitude on the mean sphere the platform measures with.
    let metresPerDegree = 2 * Double.pi * 6_371_008.8 / 360

    private func candidate(
        _ id: String, north degrees: Double, status: ResourceStatus = .available, can: Set<String> = ["fire"]
    ) -> DispatchCandidate {
        DispatchCandidate(
            id: id, position: GeoPoint(lon: 120.6, lat: 31.3 + degrees), status: status, capabilities: can)
    }

    @Test func nearestFirstWithDistanceAndETA() {
        let index = NearestResources([
            candidate("far", north: 0.05), candidate("near", north: 0.01), candidate("middle", north: -0.02),
        ])
        let found = index.nearest(to: scene, capability: "fire", count: 2)
        #expect(found.map(\.resourceId) == ["near", "middle"])
        // Due north or south, the great-circle distance is the latitude difference on the sphere.
        #expect(abs(found[0].distanceMetres - 0.01 * metresPerDegree) < 0.01)
        #expect(abs(found[1].distanceMetres - 0.02 * metresPerDegree) < 0.01)
        // 1,111.95 m at 30 km/h is 133.4 s.
        #expect(abs(found[0].etaSeconds - 0.01 * metresPerDegree / (30_000.0 / 3600)) < 0.01)
        #expect(found.allSatisfy { $0.measure == .straightLine })
    }

    @Test func onlyAvailableResourcesWithTheCapability() {
        let index = NearestResources([
            candidate("busy", north: 0.001, status: .enRoute), candidate("broken", north: 0.002, status: .outOfService),
            candidate("pump", north: 0.003, can: ["drainage"]), candidate("engine", north: 0.004),
        ])
        #expect(index.nearest(to: scene, capability: "fire", count: 5).map(\.resourceId) == ["engine"])
        #expect(index.nearest(to: scene, count: 5).map(\.resourceId) == ["pump", "engine"])
        #expect(index.nearest(to: scene, capability: "rescue", count: 5).isEmpty)
    }

    /// A scene half a world away reads the resources once instead of thousands of empty rings.
    @Test(.timeLimit(.minutes(1))) func aFarSceneStillAnswersAtOnce() {
        let resources = (0..<200).map { candidate("r\($0)", north: Double($0) * 0.001) }
        let index = NearestResources(resources)
        for scene in [GeoPoint(lon: 0, lat: 0), GeoPoint(lon: -179.9, lat: -89.9), GeoPoint(lon: 179.9, lat: 89.9)] {
            #expect(
                index.nearest(to: scene, capability: "fire", count: 3)
                    == NearestResources.scan(resources, to: scene, capability: "fire", count: 3))
        }
    }

    /// The bucketed search answers exactly what reading every resource answers, over random
    /// layouts (clustered and spread, some unavailable, several capabilities) and scenes, inside
    /// and outside the resources' extent.
    @Test func theIndexAgreesWithAFullScan() {
        var random = SplitMix64(seed: 311)
        for _ in 0..<60 {
            let spread = [0.02, 0.2, 1.0].randomElement(using: &random)!
            let resources = (0..<Int.random(in: 0..<400, using: &random)).map { i in
                DispatchCandidate(
                    id: "r\(i)",
                    position: GeoPoint(
                        lon: 120.6 + Double.random(in: -spread...spread, using: &random),
                        lat: 31.3 + Double.random(in: -spread...spread, using: &random)),
                    status: Int.random(in: 0..<5, using: &random) == 0 ? .assigned : .available,
                    capabilities: [["fire"], ["fire", "rescue"], ["drainage"]].randomElement(using: &random)!)
            }
            let index = NearestResources(resources, bucketDegrees: [0.005, 0.01, 0.05].randomElement(using: &random)!)
            for _ in 0..<10 {
                let probe = GeoPoint(
                    lon: 120.6 + Double.random(in: -2 * spread...2 * spread, using: &random),
                    lat: 31.3 + Double.random(in: -2 * spread...2 * spread, using: &random))
                let capability = ["fire", "rescue", "drainage", nil].randomElement(using: &random)!
                let count = Int.random(in: 1...8, using: &random)
                #expect(
                    index.nearest(to: probe, capability: capability, count: count)
                        == NearestResources.scan(resources, to: probe, capability: capability, count: count))
            }
        }
    }
}
