import ArgumentParser
import ChengyunCore
import Foundation

/// Nearest dispatch over a city's resources: the five nearest available resources with a
/// capability, by straight line through the bucketed index and by travel time over a street grid
/// with an early-stopping search. Beside each, its baseline in the same run: a scan of every
/// resource, and a search that settles the whole network. Every answer is checked against its
/// baseline's; a difference fails the bench. Then activating a 50-step plan (`BenchActivation`)
/// and the risk map, from scratch and after one alarm (`BenchRisk`), which use the database: the
/// embedded default or `--database postgres://…` (the activations shared out among `--nodes N`;
/// the risk map on one node).
struct BenchEmergency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergency", abstract: "Nearest-resource dispatch: bucketed and by road, against full scans.")

    @Option var resources = 10_000
    @Option var queries = 2_000
    @Option(help: "Streets a side of the square grid (200 m apart; every 5th secondary, every 10th primary).")
    var grid = 120
    @Option var seed: UInt64 = 22
    @Option(help: "Incidents to activate a 50-step plan for (and as many for the hand-written baseline).")
    var activations = 200
    @Option(help: "Grid cells on the risk map (five categories each).")
    var cells = 10_000
    @Option(help: "Alarms raised one by one, each followed by the incremental recompute.")
    var alarms = 200
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        var random = SplitMix64(seed: seed)
        let step = 0.002
        let origin = GeoPoint(lon: 120.5, lat: 31.2)
        let extent = Double(grid - 1) * step
        func anywhere() -> GeoPoint {
            GeoPoint(
                lon: origin.lon + Double.random(in: 0...extent, using: &random),
                lat: origin.lat + Double.random(in: 0...extent, using: &random))
        }
        let capabilities = ["fire", "rescue", "drainage", "medical", "gas"]
        let candidates = (0..<resources).map { i in
            DispatchCandidate(
                id: String(format: "R%05d", i), position: anywhere(),
                status: Int.random(in: 0..<5, using: &random) == 0 ? .enRoute : .available,
                capabilities: Set(capabilities.filter { _ in Bool.random(using: &random) }))
        }
        let network = RoadNetwork(roads: Self.streetGrid(origin: origin, step: step, size: grid))
        let index = NearestResources(candidates)
        let road = RoadDispatch(network: network, candidates: candidates)

        var straight = Latencies()
        var straightScan = Latencies()
        var byRoad = Latencies()
        var byRoadFull = Latencies()
        for _ in 0..<queries {
            let scene = anywhere()
            let capability = capabilities.randomElement(using: &random)
            let answers = (
                BenchTiming.timed(&straight) { index.nearest(to: scene, capability: capability, count: 5) },
                BenchTiming.timed(&straightScan) {
                    NearestResources.scan(candidates, to: scene, capability: capability, count: 5)
                }
            )
            guard answers.0 == answers.1 else { throw BenchFailure("the index and the scan differ at \(scene)") }
            let roads = (
                BenchTiming.timed(&byRoad) { road.nearest(to: scene, capability: capability, count: 5) },
                BenchTiming.timed(&byRoadFull) {
                    road.nearest(to: scene, capability: capability, count: 5, exhaustive: true)
                }
            )
            guard roads.0 == roads.1 else {
                throw BenchFailure("the early stop and the whole search differ at \(scene)")
            }
            guard roads.0.count == 5, roads.0.allSatisfy({ $0.measure == .road }) else {
                throw BenchFailure("a scene inside the grid found \(roads.0.count) resources by road")
            }
        }
        let activation = try await BenchActivation.measure(activations: activations, target: target)
        let risk = try await BenchRisk.measure(cells: cells, alarms: alarms, database: target.database)
        func p95(_ latencies: Latencies) -> Double { BenchResult.rounded(latencies.milliseconds(at: 95), 3) }
        return BenchResult(
            "emergency",
            baselineMethod:
                "same run, same resources and scenes: straight line by scanning every resource and sorting; by road by settling the whole network from the scene (Dijkstra without the early stop); activation: the same rows and the hash-chained audit row, one INSERT each in one transaction, no board read; risk map: the incremental recompute after one alarm against every cell from scratch (risk_full_ms)",
            [
                "resources": resources, "backend": target.scratch.backend, "nodes": target.nodes, "queries": queries,
                "road_vertices": network.nodeCount,
                "nearest_p95_ms": p95(straight), "nearest_scan_p95_ms": p95(straightScan),
                "nearest_road_p95_ms": p95(byRoad), "nearest_road_full_p95_ms": p95(byRoadFull),
                "nearest_p50_ms": BenchResult.rounded(straight.milliseconds(at: 50), 3),
                "nearest_road_p50_ms": BenchResult.rounded(byRoad.milliseconds(at: 50), 3),
                "nearest_samples": straight.count,
            ].merging(activation) { a, _ in a }.merging(risk) { a, _ in a })
    }

    /// A square street grid: `size` streets each way, `step` degrees apart.
    static func streetGrid(origin: GeoPoint, step: Double, size: Int) -> [RoadNetwork.Road] {
        func roadClass(_ line: Int) -> String {
            line % 10 == 0 ? "primary" : line % 5 == 0 ? "secondary" : "residential"
        }
        var roads: [RoadNetwork.Road] = []
        for line in 0..<size {
            let offset = Double(line) * step
            let across = (0..<size).map { GeoPoint(lon: origin.lon + Double($0) * step, lat: origin.lat + offset) }
            let along = (0..<size).map { GeoPoint(lon: origin.lon + offset, lat: origin.lat + Double($0) * step) }
            roads.append(RoadNetwork.Road(points: across, roadClass: roadClass(line)))
            roads.append(RoadNetwork.Road(points: along, roadClass: roadClass(line)))
        }
        return roads
    }
}
