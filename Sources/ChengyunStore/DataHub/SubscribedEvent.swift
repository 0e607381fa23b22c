import ChengyunCore
import Foundation

/// A platform change the subscriptions hear (`SubscriptionOutbox.published`): its topic, the area
/// that holds it, its JSON, and for the NGSI-LD subscriptions the entity it changes.
protocol SubscribedEvent: Sendable {
    /// The topic whose subscriptions hear it; nil when only NGSI-LD's do (or none).
    var topic: SubscriptionTopic? { get }
    var areaPath: String { get }
    func json() -> String
    /// The NGSI-LD entity it changes, with the attributes it touched (nil: all); nil for none.
    var contextChange: (ContextEntity, Set<String>?)? { get }
}

extension MonitoringEvent: SubscribedEvent {
    /// Alarms, warnings and incidents have topics of their name; devices are heard by NGSI-LD only.
    var topic: SubscriptionTopic? {
        switch self {
        case .alarm: .alarm
        case .warning: .warning
        case .incident: .incident
        case .device, .supervision, .detection: nil
        }
    }

    var contextChange: (ContextEntity, Set<String>?)? {
        switch self {
        case .alarm(let alarm): (ContextEntity.alarm(alarm), ContextEntity.changedAttributes(of: alarm))
        case .device(let change):
            (
                ContextEntity.device(
                    code: change.code, kindCode: change.kindCode, state: change.state,
                    at: GeoPoint(lon: change.lon, lat: change.lat), changedAt: change.at), ["deviceState"]
            )
        default: nil
        }
    }
}

extension CaseChange: SubscribedEvent {
    var topic: SubscriptionTopic? { .case }
    var contextChange: (ContextEntity, Set<String>?)? { nil }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
