import Foundation

/// A road network for travel times: lines with a road class (GeoJSON LineStrings), joined where
/// they share a vertex, each segment passable both ways at its class's speed.
public struct RoadNetwork: Sendable {
    public struct Road: Sendable, Equatable {
        public var points: [GeoPoint]
        /// `motorway`, `trunk`, `primary`, `secondary`, `tertiary`, `residential`, `service`…
        public var roadClass: String

        public init(points: [GeoPoint], roadClass: String) {
            self.points = points
            self.roadClass = roadClass
        }
    }

    struct Edge: Sendable {
        var to: Int
        var metres: Double
        var seconds: Double
    }

    /// Urban speeds by road class, km/h; a class not listed goes at `otherSpeed`.
    public static let defaultSpeeds: [String: Double] = [
        "motorway": 80, "trunk": 60, "primary": 50, "secondary": 40, "tertiary": 30, "residential": 20,
        "service": 15,
    ]
    public static let otherSpeed = 25.0
    /// The speed between a position and the road vertex it is snapped to, km/h.
    public static let accessSpeed = 15.0
    /// How far a position may lie from the network and still be snapped to it, metres.
    public static let maxSnapMetres = 2_000.0

    private(set) var nodes: [GeoPoint] = []
    private(set) var edges: [[Edge]] = []
    private var index: [SpatialBuckets.Key: [Int]] = [:]
    private let buckets = SpatialBuckets(degrees: 0.005)

    public var nodeCount: Int { nodes.count }
    public var isEmpty: Bool { nodes.isEmpty }

    public init(roads: [Road], speeds: [String: Double] = RoadNetwork.defaultSpeeds) {
        var ids: [Int64: Int] = [:]
        func node(_ point: GeoPoint) -> Int {
            // Vertices within a tenth of a metre are one junction.
            let key = Int64((point.lon * 1e6).rounded()) &* 1_000_000_000 &+ Int64((point.lat * 1e6).rounded())
            if let id = ids[key] { return id }
            let id = nodes.count
            ids[key] = id
            nodes.append(point)
            edges.append([])
            index[buckets.key(of: point), default: []].append(id)
            return id
        }
        for road in roads where road.points.count > 1 {
            let metresPerSecond = (speeds[road.roadClass] ?? Self.otherSpeed) * 1000 / 3600
            for (a, b) in zip(road.points, road.points.dropFirst()) {
                let (from, to) = (node(a), node(b))
                guard from != to else { continue }
                let metres = a.distance(to: b)
                edges[from].append(Edge(to: to, metres: metres, seconds: metres / metresPerSecond))
                edges[to].append(Edge(to: from, metres: metres, seconds: metres / metresPerSecond))
            }
        }
    }

    /// The vertex nearest `point` within `maxSnapMetres`, and how far it is.
    public func snap(_ point: GeoPoint) -> (node: Int, metres: Double)? {
        let reach =
            Int((Self.maxSnapMetres / 111_000 / cos(min(89.0, abs(point.lat)) * .pi / 180)) / buckets.degrees) + 1
        let centre = buckets.key(of: point)
        var best: (node: Int, metres: Double)?
        for x in (centre.x - reach)...(centre.x + reach) {
            for y in (centre.y - reach)...(centre.y + reach) {
                for id in index[SpatialBuckets.Key(x: x, y: y)] ?? [] {
                    let metres = point.distance(to: nodes[id])
                    if metres <= Self.maxSnapMetres, metres < best?.metres ?? .infinity { best = (id, metres) }
                }
            }
        }
        return best
    }

    /// Shortest travel times from `source` (Dijkstra), visiting vertices in order of time until
    /// `stop(vertex, seconds)` says enough; every settled vertex with its time and road metres.
    public func travel(
        from source: Int, settle: (Int, Double, Double) -> Bool
    ) {
        var best = [Double](repeating: .infinity, count: nodes.count)
        var metres = [Double](repeating: 0, count: nodes.count)
        var done = [Bool](repeating: false, count: nodes.count)
        var queue = MinHeap()
        best[source] = 0
        queue.push(0, source)
        while let (seconds, node) = queue.pop() {
            guard !done[node], seconds <= best[node] else { continue }
            done[node] = true
            if !settle(node, seconds, metres[node]) { return }
            for edge in edges[node] where !done[edge.to] {
                let reached = seconds + edge.seconds
                if reached < best[edge.to] {
                    best[edge.to] = reached
                    metres[edge.to] = metres[node] + edge.metres
                    queue.push(reached, edge.to)
                }
            }
        }
    }
}

/// A binary min-heap of (seconds, vertex).
struct MinHeap {
    private var items: [(Double, Int)] = []

    mutating func push(_ key: Double, _ value: Int) {
        items.append((key, value))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].0 < items[parent].0 else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Double, Int)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count, items[left].0 < items[smallest].0 { smallest = left }
                if right < items.count, items[right].0 < items[smallest].0 { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
