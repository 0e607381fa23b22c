import ChengyunCore
import Foundation
import Synchronization

/// Something the live views want at once: an alarm raised, changed or cleared, a device going
/// online, offline or into maintenance, a warning raised or resolved, a supervision order, an
/// emergency incident reported or changed (its board reloads).
public enum MonitoringEvent: Sendable {
    case alarm(Alarm)
    case device(DeviceStateChange)
    case warning(Warning)
    case supervision(SupervisionOrder)
    case incident(Incident)

    public var name: String {
        switch self {
        case .alarm: "alarm"
        case .device: "device"
        case .warning: "warning"
        case .supervision: "supervision"
        case .incident: "incident"
        }
    }

    public var areaPath: String {
        switch self {
        case .alarm(let alarm): alarm.areaPath
        case .device(let change): change.areaPath
        case .warning(let warning): warning.areaPath
        case .supervision(let order): order.areaPath
        case .incident(let incident): incident.areaPath
        }
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data? =
            switch self {
            case .alarm(let alarm): try? encoder.encode(alarm)
            case .device(let change): try? encoder.encode(change)
            case .warning(let warning): try? encoder.encode(warning)
            case .supervision(let order): try? encoder.encode(order)
            case .incident(let incident): try? encoder.encode(incident)
            }
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

public struct DeviceStateChange: Codable, Sendable, Equatable {
    public var deviceId: String
    public var code: String
    public var kindCode: String
    public var areaPath: String
    public var lon: Double
    public var lat: Double
    public var state: DeviceState
    public var at: Int64
}

/// Fans monitoring events out to live subscribers (the server-sent-events streams). A slow
/// subscriber loses its oldest events rather than holding anyone up.
public final class MonitoringEvents: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<MonitoringEvent>.Continuation]>([:])

    /// Events held for one slow subscriber, at each stage of its stream, before the oldest go.
    public static let buffered = 1000

    public init() {}

    /// A stream of the events inside `scopePath`; it ends when the caller stops iterating.
    public func subscribe(scopePath: String) -> AsyncStream<MonitoringEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<MonitoringEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.buffered))
        let filtered = AsyncStream<MonitoringEvent>(bufferingPolicy: .bufferingNewest(Self.buffered)) { output in
            let task = Task {
                for await event in stream where event.areaPath.hasPrefix(scopePath) { output.yield(event) }
                output.finish()
            }
            output.onTermination = { [weak self] _ in
                task.cancel()
                self?.subscribers.withLock { $0[id] = nil }
                continuation.finish()
            }
        }
        subscribers.withLock { $0[id] = continuation }
        return filtered
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    func publish(_ events: [MonitoringEvent]) {
        guard !events.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets {
            for event in events { target.yield(event) }
        }
    }
}
