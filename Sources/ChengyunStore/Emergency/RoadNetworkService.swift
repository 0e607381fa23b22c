import ChengyunCore
import Foundation
import SQLKit
import Synchronization

/// POST /emergency/road-network: a GeoJSON FeatureCollection of roads.
public struct RoadNetworkInput: StrictInput {
    public var type: String
    public var features: [RoadFeature]
    public var name: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case type, features, name, bbox, crs }
    public typealias Fields = CodingKeys

    public init(features: [RoadFeature], name: String? = nil) {
        type = "FeatureCollection"
        self.features = features
        self.name = name
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        features = try c.decode([RoadFeature].self, forKey: .features)
        name = try c.decodeIfPresent(String.self, forKey: .name)
    }
}

/// The road network in use, as lists show it.
public struct RoadNetworkSummary: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var roads: Int
    public var vertices: Int
    public var loadedBy: String
    public var loadedAt: Int64
}

/// The road network nearest dispatch ranks by (路网): an administrator loads a GeoJSON file; the
/// latest load is in use. Each process keeps the built network in memory and rebuilds it when it
/// sees a newer load in the database, so every node of a city follows the same file.
public struct RoadNetworkService: Sendable {
    let platform: Platform

    public init(platform: Platform) { self.platform = platform }

    public func load(_ input: RoadNetworkInput, by actor: Principal) async throws -> RoadNetworkSummary {
        let now = platform.now()
        guard input.type == "FeatureCollection" else {
            throw DomainError.validation([
                FieldIssue(field: "type", code: "invalid_value", message: "A GeoJSON FeatureCollection.")
            ])
        }
        let roads = try RoadNetwork.roads(from: input.features)
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        let network = RoadNetwork(roads: roads)
        let summary = RoadNetworkSummary(
            id: Identifier.make(at: now), name: name.isEmpty ? "路网" : String(name.prefix(100)), roads: roads.count,
            vertices: network.nodeCount, loadedBy: actor.id, loadedAt: now)
        let document = String(decoding: try JSONEncoder().encode(roads.map(StoredRoad.init)), as: UTF8.self)
        return try await platform.write(
            actor, "road_network.load", target: "road_network",
            summary: { (s: RoadNetworkSummary) in (s.id, "\(s.name): \(s.roads) roads, \(s.vertices) vertices") }
        ) { db in
            try await db.insert(into: "road_networks")
                .columns("id", "name", "document", "roads", "vertices", "loaded_by", "loaded_at")
                .values(
                    SQLBind(summary.id), SQLBind(summary.name), SQLBind(document), SQLBind(summary.roads),
                    SQLBind(summary.vertices), SQLBind(summary.loadedBy), SQLBind(summary.loadedAt)
                ).run()
            return summary
        }
    }

    /// The network in use, or nil before any is loaded.
    public func current() async throws -> RoadNetworkSummary? {
        try await platform.pool.read { db in
            try await db.select().columns("id", "name", "roads", "vertices", "loaded_by", "loaded_at")
                .from("road_networks").orderBy("loaded_at", .descending).orderBy("id", .descending).limit(1)
                .first(decoding: RoadNetworkSummary.self, with: rowDecoder)
        }
    }

    /// The built network in use (from this process's memory while it is still the latest).
    func network() async throws -> RoadNetwork? {
        guard let current = try await current() else { return nil }
        if let cached = platform.roadNetworks.built(current.id) { return cached }
        let document = try await platform.pool.read { db in
            try await db.select().column("document").from("road_networks").where("id", .equal, current.id).first()?
                .decode(column: "document", as: String.self)
        }
        guard let document else { return nil }
        let roads = try JSONDecoder().decode([StoredRoad].self, from: Data(document.utf8)).map(\.road)
        let network = RoadNetwork(roads: roads)
        platform.roadNetworks.keep(network, as: current.id)
        return network
    }
}

/// A road as stored: its class and its points as [lon, lat] pairs.
struct StoredRoad: Codable {
    var c: String
    var p: [[Double]]
    init(_ road: RoadNetwork.Road) {
        c = road.roadClass
        p = road.points.map { [$0.lon, $0.lat] }
    }
    var road: RoadNetwork.Road { RoadNetwork.Road(points: p.map { GeoPoint(lon: $0[0], lat: $0[1]) }, roadClass: c) }
}

/// The built road network a process holds, by the load it came from.
public final class RoadNetworkCache: Sendable {
    private let held = Mutex<(id: String, network: RoadNetwork)?>(nil)
    public init() {}
    func built(_ id: String) -> RoadNetwork? { held.withLock { $0?.id == id ? $0?.network : nil } }
    func keep(_ network: RoadNetwork, as id: String) { held.withLock { $0 = (id, network) } }
}
