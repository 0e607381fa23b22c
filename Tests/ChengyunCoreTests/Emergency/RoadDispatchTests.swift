import ChengyunCore
import Foundation
import Testing

@Suite struct RoadDispatchTests {
    // A square a kilometre a side: a fast way round by B, a slow lane round by D.
    let a = GeoPoint(lon: 120.60, lat: 31.30)
    let b = GeoPoint(lon: 120.61, lat: 31.30)
    let c = GeoPoint(lon: 120.61, lat: 31.31)
    let d = GeoPoint(lon: 120.60, lat: 31.31)

    private var square: RoadNetwork {
        RoadNetwork(roads: [
            .init(points: [a, b, c], roadClass: "primary"), .init(points: [a, d, c], roadClass: "service"),
        ])
    }

    private func engine(_ id: String, at position: GeoPoint) -> DispatchCandidate {
        DispatchCandidate(id: id, position: position, status: .available, capabilities: ["fire"])
    }

    /// The engine at C, farther in a straight line, arrives first: the primary road round by B
    /// (50 km/h) beats the service lane to D (15 km/h).
    @Test func travelTimeNotDistanceDecides() {
        let engines = [engine("atC", at: c), engine("atD", at: d)]
        let dispatch = RoadDispatch(network: square, candidates: engines)
        let found = dispatch.nearest(to: a, capability: "fire", count: 2)
        #expect(found.map(\.resourceId) == ["atC", "atD"])
        let primary = 50_000.0 / 3600
        let service = 15_000.0 / 3600
        #expect(abs(found[0].etaSeconds - (a.distance(to: b) + b.distance(to: c)) / primary) < 1e-6)
        #expect(abs(found[0].distanceMetres - (a.distance(to: b) + b.distance(to: c))) < 1e-6)
        #expect(abs(found[1].etaSeconds - a.distance(to: d) / service) < 1e-6)
        #expect(found.allSatisfy { $0.measure == .road })
        // By the straight line the order is the other way round.
        #expect(
            NearestResources.scan(engines, to: a, count: 2).map(\.resourceId) == ["atD", "atC"])
    }

    /// Positions off the road reach it at the access speed: a scene 100 m east of A.
    @Test func theWayToAndFromTheRoadCounts() {
        let scene = GeoPoint(lon: 120.60 + 100 / (111_194.9 * cos(31.3 * Double.pi / 180)), lat: 31.30)
        let dispatch = RoadDispatch(network: square, candidates: [engine("atC", at: c)])
        let found = dispatch.nearest(to: scene, count: 1)
        let access = scene.distance(to: a)
        #expect(abs(access - 100) < 0.5)
        let expected = access / (15_000.0 / 3600) + (a.distance(to: b) + b.distance(to: c)) / (50_000.0 / 3600)
        #expect(abs(found[0].etaSeconds - expected) < 1e-6)
    }

    /// With no road near the scene, or no network at all, the straight line decides.
    @Test func offTheNetworkTheStraightLineDecides() {
        let far = GeoPoint(lon: 121.0, lat: 31.30)
        let dispatch = RoadDispatch(network: square, candidates: [engine("atC", at: c)])
        #expect(dispatch.nearest(to: far, count: 1).first?.measure == .straightLine)
        let empty = RoadDispatch(network: RoadNetwork(roads: []), candidates: [engine("atC", at: c)])
        #expect(empty.nearest(to: a, count: 1).first?.measure == .straightLine)
    }

    /// Stopping the search early answers what settling the whole network answers, over random
    /// street grids, road classes, resources and scenes.
    @Test func theEarlyStopAgreesWithTheWholeSearch() {
        var random = SplitMix64(seed: 12345)
        let classes = ["primary", "secondary", "residential", "service", "track"]
        for _ in 0..<25 {
            let size = Int.random(in: 2...12, using: &random)
            let step = 0.004
            func point(_ x: Int, _ y: Int) -> GeoPoint {
                GeoPoint(lon: 120.6 + Double(x) * step, lat: 31.3 + Double(y) * step)
            }
            var roads: [RoadNetwork.Road] = []
            for x in 0..<size {
                for y in 0..<size {
                    if x + 1 < size, Int.random(in: 0..<5, using: &random) > 0 {
                        roads.append(
                            .init(
                                points: [point(x, y), point(x + 1, y)],
                                roadClass: classes.randomElement(using: &random)!))
                    }
                    if y + 1 < size, Int.random(in: 0..<5, using: &random) > 0 {
                        roads.append(
                            .init(
                                points: [point(x, y), point(x, y + 1)],
                                roadClass: classes.randomElement(using: &random)!))
                    }
                }
            }
            let extent = Double(size) * step
            func anywhere() -> GeoPoint {
                GeoPoint(
                    lon: 120.6 + Double.random(in: -0.002...extent, using: &random),
                    lat: 31.3 + Double.random(in: -0.002...extent, using: &random))
            }
            let resources = (0..<Int.random(in: 1...60, using: &random)).map { i in
                DispatchCandidate(
                    id: "r\(i)", position: anywhere(),
                    status: Int.random(in: 0..<4, using: &random) == 0 ? .onScene : .available,
                    capabilities: [["fire"], ["fire", "rescue"]].randomElement(using: &random)!)
            }
            let dispatch = RoadDispatch(network: RoadNetwork(roads: roads), candidates: resources)
            for _ in 0..<8 {
                let scene = anywhere()
                let capability = ["fire", "rescue", nil].randomElement(using: &random)!
                let count = Int.random(in: 1...6, using: &random)
                #expect(
                    dispatch.nearest(to: scene, capability: capability, count: count)
                        == dispatch.nearest(to: scene, capability: capability, count: count, exhaustive: true))
            }
        }
    }
}
