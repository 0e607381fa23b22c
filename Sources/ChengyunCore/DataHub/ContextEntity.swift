import Foundation

/// An NGSI-LD context entity (ETSI GS CIM 009): how the platform's devices, with their latest
/// readings, and its alarms look through the NGSI-LD door. Attribute names follow the FIWARE
/// Smart Data Models where one fits (`deviceCategory`, `deviceState`, `dateLastValueReported`).
/// Ids are URNs, `urn:ngsi-ld:Device:<device code>` and `urn:ngsi-ld:Alarm:<alarm id>`.
public struct ContextEntity: Sendable, Equatable {
    public var id: String
    public var type: ContextEntityType
    /// In the order they are rendered.
    public var attributes: [ContextAttribute]

    public init(id: String, type: ContextEntityType, attributes: [ContextAttribute]) {
        (self.id, self.type, self.attributes) = (id, type, attributes)
    }

    public func attribute(_ name: String) -> ContextAttribute? { attributes.first { $0.name == name } }

    public var location: GeoPoint? {
        if case .point(let point) = attribute("location")?.value { return point }
        return nil
    }
}

/// The kinds of entity the door serves.
public enum ContextEntityType: String, Sendable, CaseIterable, Codable {
    case device = "Device"
    case alarm = "Alarm"

    public static let urnPrefix = "urn:ngsi-ld:"

    public func urn(_ key: String) -> String { "\(Self.urnPrefix)\(rawValue):\(key)" }

    /// The type and key an entity id names; nil when it names none of the door's entities.
    public static func parse(id: String) -> (type: ContextEntityType, key: String)? {
        guard id.hasPrefix(urnPrefix) else { return nil }
        let rest = id.dropFirst(urnPrefix.count)
        guard let colon = rest.firstIndex(of: ":"), let type = ContextEntityType(rawValue: String(rest[..<colon]))
        else { return nil }
        let key = String(rest[rest.index(after: colon)...])
        return key.isEmpty ? nil : (type, key)
    }
}

/// One attribute: a Property, a GeoProperty or a Relationship (whose value is the object's id).
public struct ContextAttribute: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case property = "Property", geoProperty = "GeoProperty", relationship = "Relationship"
    }

    public var name: String
    public var kind: Kind
    public var value: ContextValue
    /// When the value was observed (a reading's time).
    public var observedAt: Int64?

    public init(_ name: String, _ kind: Kind, _ value: ContextValue, observedAt: Int64? = nil) {
        (self.name, self.kind, self.value, self.observedAt) = (name, kind, value, observedAt)
    }

    /// A Property.
    public init(_ name: String, _ value: ContextValue, observedAt: Int64? = nil) {
        self.init(name, .property, value, observedAt: observedAt)
    }
}

public enum ContextValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A DateTime, rendered as ISO 8601 in UTC.
    case time(Int64)
    case texts([String])
    case point(GeoPoint)
}

/// A latest reading of one metric, shown as a Property named by the metric.
public struct ContextReading: Sendable, Equatable {
    public var metric: String
    public var value: Double
    public var at: Int64

    public init(metric: String, value: Double, at: Int64) { (self.metric, self.value, self.at) = (metric, value, at) }
}

extension ContextEntity {
    /// The attributes every device entity has; a metric of the same name is not shown.
    public static let deviceAttributes: Set<String> = [
        "name", "deviceCategory", "deviceState", "location", "componentCode", "controlledProperty",
        "dateLastValueReported",
    ]

    /// A device with the latest value of each metric it reports.
    public static func device(_ device: Device, readings: [ContextReading]) -> ContextEntity {
        var attributes = [
            ContextAttribute("name", .text(device.name)),
            ContextAttribute("deviceCategory", .text(device.kindCode)),
            ContextAttribute("deviceState", .text(device.state.rawValue)),
            ContextAttribute("location", .geoProperty, .point(device.position)),
        ]
        if let component = device.componentCode {
            attributes.append(ContextAttribute("componentCode", .text(component)))
        }
        let shown = readings.filter { !deviceAttributes.contains($0.metric) }.sorted { $0.metric < $1.metric }
        if !shown.isEmpty { attributes.append(ContextAttribute("controlledProperty", .texts(shown.map(\.metric)))) }
        if let last = device.lastReadingAt ?? shown.map(\.at).max() {
            attributes.append(ContextAttribute("dateLastValueReported", .time(last)))
        }
        for reading in shown {
            attributes.append(ContextAttribute(reading.metric, .number(reading.value), observedAt: reading.at))
        }
        return ContextEntity(id: ContextEntityType.device.urn(device.code), type: .device, attributes: attributes)
    }

    /// A device as its state change tells it: kind, state and place (a notification's entity).
    public static func device(code: String, kindCode: String, state: DeviceState, at: GeoPoint, changedAt: Int64)
        -> ContextEntity
    {
        ContextEntity(
            id: ContextEntityType.device.urn(code), type: .device,
            attributes: [
                ContextAttribute("deviceCategory", .text(kindCode)),
                ContextAttribute("deviceState", .text(state.rawValue), observedAt: changedAt),
                ContextAttribute("location", .geoProperty, .point(at)),
            ])
    }

    /// An alarm, without who acknowledged or cleared it and without its case: people and
    /// case work stay inside the platform.
    public static func alarm(_ alarm: Alarm) -> ContextEntity {
        var attributes = [
            ContextAttribute("name", .text(alarm.ruleName)),
            ContextAttribute("severity", .text(alarm.severity.rawValue)),
            ContextAttribute("alarmState", .text(alarm.state.rawValue)),
            ContextAttribute("description", .text(alarm.detail)),
            ContextAttribute("device", .relationship, .text(ContextEntityType.device.urn(alarm.deviceCode))),
            ContextAttribute("deviceCategory", .text(alarm.kindCode)),
            ContextAttribute("location", .geoProperty, .point(GeoPoint(lon: alarm.lon, lat: alarm.lat))),
        ]
        if let metric = alarm.metric { attributes.append(ContextAttribute("alarmMetric", .text(metric))) }
        if let value = alarm.value {
            attributes.append(ContextAttribute("measuredValue", .number(value), observedAt: alarm.updatedAt))
        }
        attributes.append(ContextAttribute("dateRaised", .time(alarm.raisedAt)))
        if let at = alarm.acknowledgedAt { attributes.append(ContextAttribute("dateAcknowledged", .time(at))) }
        if let at = alarm.clearedAt { attributes.append(ContextAttribute("dateCleared", .time(at))) }
        return ContextEntity(id: ContextEntityType.alarm.urn(alarm.id), type: .alarm, attributes: attributes)
    }

    /// The attributes a change of this alarm touched, for `watchedAttributes`: all of them when it
    /// was raised (or its measurement renewed), the state and its date when acknowledged or cleared.
    public static func changedAttributes(of alarm: Alarm) -> Set<String>? {
        switch alarm.state {
        case .raised, .suppressed: nil
        case .acknowledged: ["alarmState", "dateAcknowledged"]
        case .cleared: ["alarmState", "dateCleared"]
        }
    }
}
