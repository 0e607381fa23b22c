import ChengyunCore

/// POST /emergency/resources: a resource joins the registry, available at its home.
public struct NewEmergencyResource: StrictInput {
    public var code: String
    public var name: String
    public var kind: ResourceKind
    public var capabilities: [String]
    public var lon: Double
    public var lat: Double
    /// Default: the administrator's own area.
    public var areaId: String?
    public var departmentId: String?
    /// The team (its id or code) this vehicle or equipment goes out with.
    public var teamId: String?
    /// The vehicle terminal (a device id or code, of a kind that tracks position) whose positions
    /// become the resource's.
    public var trackerDevice: String?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, kind, capabilities, lon, lat, areaId, departmentId, teamId, trackerDevice
    }
    public typealias Fields = CodingKeys

    public init(
        code: String, name: String, kind: ResourceKind, capabilities: [String], lon: Double, lat: Double,
        areaId: String? = nil, departmentId: String? = nil, teamId: String? = nil, trackerDevice: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.capabilities = capabilities
        self.lon = lon
        self.lat = lat
        self.areaId = areaId
        self.departmentId = departmentId
        self.teamId = teamId
        self.trackerDevice = trackerDevice
    }
}

/// POST /emergency/resources/{id}/events: what happened to the resource, and where it is now
/// when the crew reports a position.
public struct ResourceEventInput: StrictInput {
    public var event: ResourceEvent
    public var note: String?
    public var lon: Double?
    public var lat: Double?
    public enum CodingKeys: String, CodingKey, CaseIterable { case event, note, lon, lat }
    public typealias Fields = CodingKeys

    public init(event: ResourceEvent, note: String? = nil, lon: Double? = nil, lat: Double? = nil) {
        self.event = event
        self.note = note
        self.lon = lon
        self.lat = lat
    }
}

/// POST /emergency/resources/{id}/stock: a depot restocked with a material (a new line the first
/// time, in its unit).
public struct RestockInput: StrictInput {
    public var material: String
    public var unit: String
    public var quantity: Double
    public enum CodingKeys: String, CodingKey, CaseIterable { case material, unit, quantity }
    public typealias Fields = CodingKeys

    public init(material: String, unit: String, quantity: Double) {
        self.material = material
        self.unit = unit
        self.quantity = quantity
    }
}

/// POST /emergency/incidents/{id}/materials: materials issued from a depot to the incident, or
/// (`giveBack`) returned to it.
public struct MaterialMoveInput: StrictInput {
    public var depotId: String
    public var material: String
    public var quantity: Double
    /// Returned to the depot rather than issued from it.
    public var giveBack: Bool?
    public enum CodingKeys: String, CodingKey, CaseIterable { case depotId, material, quantity, giveBack }
    public typealias Fields = CodingKeys

    public init(depotId: String, material: String, quantity: Double, giveBack: Bool? = nil) {
        self.depotId = depotId
        self.material = material
        self.quantity = quantity
        self.giveBack = giveBack
    }
}
