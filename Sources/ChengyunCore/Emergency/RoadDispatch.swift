/// The available resources with a capability nearest a scene by travel time over a road network:
/// the scene and each resource are snapped to their nearest road vertex, and one Dijkstra search
/// from the scene stops as soon as no vertex left can bring a resource sooner than the n-th found.
/// Where the scene lies off the network, or no network is loaded, the straight line decides.
public struct RoadDispatch: Sendable {
    struct Snapped: Sendable {
        var candidate: DispatchCandidate
        var accessMetres: Double
    }

    let network: RoadNetwork
    let candidates: [DispatchCandidate]
    private var atVertex: [Int: [Snapped]] = [:]
    /// Resources too far from any road to be snapped: ranked by the straight line.
    private var offNetwork: [DispatchCandidate] = []

    public init(network: RoadNetwork, candidates: [DispatchCandidate]) {
        self.network = network
        self.candidates = candidates
        for candidate in candidates {
            if let (vertex, metres) = network.snap(candidate.position) {
                atVertex[vertex, default: []].append(Snapped(candidate: candidate, accessMetres: metres))
            } else {
                offNetwork.append(candidate)
            }
        }
    }

    /// The `count` soonest-arriving available resources having `capability` (any when nil).
    /// `exhaustive` settles the whole network first: the baseline the early stop is checked by.
    public func nearest(
        to scene: GeoPoint, capability: String? = nil, count: Int, exhaustive: Bool = false
    ) -> [DispatchSuggestion] {
        guard count > 0 else { return [] }
        guard let (source, sceneAccess) = network.snap(scene) else {
            return NearestResources.scan(candidates, to: scene, capability: capability, count: count)
        }
        let accessSpeed = RoadNetwork.accessSpeed * 1000 / 3600
        var found = offNetwork.filter { NearestResources.eligible($0, capability) }.map {
            NearestResources.suggestion($0, from: scene)
        }
        found.sort(by: Self.sooner)
        network.travel(from: source) { vertex, seconds, metres in
            let reached = sceneAccess / accessSpeed + seconds
            if !exhaustive, found.count >= count, reached > found[count - 1].etaSeconds { return false }
            let here = (atVertex[vertex] ?? []).filter { NearestResources.eligible($0.candidate, capability) }
            guard !here.isEmpty else { return true }
            for snapped in here {
                found.append(
                    DispatchSuggestion(
                        resourceId: snapped.candidate.id, distanceMetres: sceneAccess + metres + snapped.accessMetres,
                        etaSeconds: reached + snapped.accessMetres / accessSpeed, measure: .road))
            }
            // The early stop reads the n-th soonest so far; the whole search sorts once at the end.
            if !exhaustive { found.sort(by: Self.sooner) }
            return true
        }
        return Array(found.sorted(by: Self.sooner).prefix(count))
    }

    static func sooner(_ a: DispatchSuggestion, _ b: DispatchSuggestion) -> Bool {
        (a.etaSeconds, a.resourceId) < (b.etaSeconds, b.resourceId)
    }
}
