import ChengyunCore
import Foundation
import SQLKit

/// Turns rule firings into alarm records: a raise opens an alarm (suppressed while the device is
/// disarmed), a change regrades the open one, a clear closes it. Works on a copy of the open
/// alarms that the caller keeps once the changes are committed.
///
/// Every change is written only over the version it was made from (`updated_at`): in a cluster a
/// person may change an alarm on another node while this node's copy is older, and the engine's
/// regrade must not put an acknowledged or cleared alarm back (`AlarmChangedMeanwhile`).
struct AlarmBook {
    var open: [RuleEngine.Key: Alarm]
    private(set) var inserted: [Alarm] = []
    private(set) var updated: [String: Alarm] = [:]
    /// The stored version (`updatedAt`) each updated alarm was changed from.
    private var basis: [String: Int64] = [:]
    /// Devices the no-data rules took offline.
    private(set) var wentOffline: Set<String> = []
    let now: Int64

    init(open: [RuleEngine.Key: Alarm], now: Int64) {
        self.open = open
        self.now = now
    }

    /// What live subscribers hear: every change except suppressed alarms.
    var events: [MonitoringEvent] { changed.filter { $0.state != .suppressed }.map(MonitoringEvent.alarm) }

    var changed: [Alarm] { inserted + updated.values.filter { alarm in !inserted.contains { $0.id == alarm.id } } }

    mutating func apply(_ firing: RuleEngine.Firing, device: Device, kind: DeviceKind?) {
        let key = RuleEngine.Key(ruleId: firing.rule.id, deviceId: device.id)
        if case .noData = firing.rule.condition, case .raise = firing.edge { wentOffline.insert(device.id) }
        switch firing.edge {
        case .raise(let severity), .change(let severity):
            let detail = Self.detail(firing, kind: kind)
            if var alarm = open[key] {
                guard alarm.severity != severity || alarm.detail != detail else { return }
                let was = alarm.updatedAt
                alarm.severity = severity
                alarm.detail = detail
                alarm.metric = firing.metric
                alarm.value = firing.value
                alarm.updatedAt = Self.version(after: was, at: now)
                record(alarm, key, was: was)
            } else if case .raise = firing.edge {
                let alarm = Alarm(
                    id: Identifier.make(at: now), ruleId: firing.rule.id, ruleName: firing.rule.name,
                    deviceId: device.id,
                    deviceCode: device.code, kindCode: device.kindCode, areaPath: device.areaPath, lon: device.lon,
                    lat: device.lat, severity: severity, state: device.isDisarmed(at: now) ? .suppressed : .raised,
                    detail: detail, metric: firing.metric, value: firing.value, raisedAt: firing.at, updatedAt: now)
                open[key] = alarm
                inserted.append(alarm)
            }
        case .clear:
            guard var alarm = open[key] else { return }
            let was = alarm.updatedAt
            alarm.state = .cleared
            alarm.clearedAt = firing.at
            alarm.clearedBy = "auto"
            alarm.updatedAt = Self.version(after: was, at: now)
            record(alarm, key, was: was)
        }
    }

    /// The version a change made at `now` from version `was` is written as: later than `was` even
    /// in the same millisecond (or with another node's clock ahead), so no two versions are equal.
    static func version(after was: Int64, at now: Int64) -> Int64 { max(now, was + 1) }

    /// A hand-made change to an alarm (acknowledge, clear, link to a case), made from the stored
    /// version `was`.
    mutating func record(_ alarm: Alarm, was: Int64) {
        record(alarm, RuleEngine.Key(ruleId: alarm.ruleId, deviceId: alarm.deviceId), was: was)
    }

    private mutating func record(_ alarm: Alarm, _ key: RuleEngine.Key, was: Int64) {
        open[key] = alarm.isOpen ? alarm : nil
        if let index = inserted.firstIndex(where: { $0.id == alarm.id }) {
            inserted[index] = alarm
        } else {
            updated[alarm.id] = alarm
            if basis[alarm.id] == nil { basis[alarm.id] = was }
        }
    }

    func save(on db: any SQLDatabase) async throws {
        let repository = AlarmRepository()
        // Clears first: a rule that cleared and fired again in one batch has one open alarm at a time.
        for alarm in updated.values.sorted(by: { ($0.isOpen ? 1 : 0, $0.updatedAt) < ($1.isOpen ? 1 : 0, $1.updatedAt) }
        ) {
            guard try await repository.update(alarm, from: basis[alarm.id] ?? alarm.updatedAt, on: db) else {
                throw AlarmChangedMeanwhile(id: alarm.id)
            }
        }
        for alarm in inserted { try await repository.insert(alarm, on: db) }
    }

    static func detail(_ firing: RuleEngine.Firing, kind: DeviceKind?) -> String {
        if case .noData(let minutes) = firing.rule.condition {
            return "\(minutes) 分钟无数据 / no data for \(minutes) min"
        }
        guard let metric = firing.metric, let value = firing.value else { return firing.rule.name }
        let spec = kind?.metric(metric)
        let shown = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        return "\(spec?.name ?? metric) = \(shown)\(spec.map { $0.unit.isEmpty ? "" : " " + $0.unit } ?? "")"
    }
}

/// An alarm's stored version is not the one a change was made from: someone changed it meanwhile
/// (on another node). Nothing of the turn is written; it is taken again on a fresh reading.
public struct AlarmChangedMeanwhile: Error, CustomStringConvertible {
    public var id: String
    public var description: String { "alarm \(id) was changed meanwhile" }

    /// What the caller hears when every try met another change.
    static let conflict = DomainError(
        .conflict, code: .concurrentUpdate, "The alarm was changed meanwhile, again and again; try once more.")

    /// Runs `body`, again on a fresh reading while it meets an alarm changed meanwhile: three
    /// tries in all, then `conflict`. `alsoRetry` may take another error as worth a new try
    /// (given the tries so far, which both kinds share).
    static func retrying<T>(
        _ body: () async throws -> T, alsoRetry: (any Error, Int) -> Bool = { _, _ in false }
    ) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch is AlarmChangedMeanwhile {
                attempt += 1
                guard attempt < 3 else { throw conflict }
            } catch  where alsoRetry(error, attempt) {
                attempt += 1
            }
        }
    }
}
