import ChengyunCore
import SQLKit

/// What the engine holds between turns. Only touched by the holder of the hub's gate.
final class MonitoringMemory: @unchecked Sendable {
    let seen: SeenReadings
    init(seen: SeenReadings) { self.seen = seen }

    /// After a failed turn: everything is read again from the database on the next one.
    func forget() { loaded = false }

    private(set) var loaded = false
    /// The hub's epoch when this memory was loaded.
    var epoch = 0
    var devicesByCode: [String: Device] = [:]
    var codesById: [String: String] = [:]
    var kinds: [String: DeviceKind] = [:]
    /// Keys some device is bound to: device and gateway keys.
    var boundKeys: Set<String> = []
    var rules: [AlarmRule] = []
    var rulesByKind: [String: [AlarmRule]] = [:]
    /// Device → metric → series number.
    var series: [String: [String: Int64]] = [:]
    var numbering = SeriesNumbering(existing: [])
    var engine = RuleEngine()
    var openAlarms: [RuleEngine.Key: Alarm] = [:]
    /// Readings from here on go to `readings_recent` (`RecentReadings.FoldState.route`).
    var route: Int64 = 0

    /// Directory and rules every time; the engine's memory and open alarms on the first load only
    /// (afterwards memory is ahead of nothing: every turn saves what it changed).
    func load(on db: any SQLDatabase) async throws {
        let first = !loaded
        do {
            let devices = try await DeviceRepository().all(on: db)
            devicesByCode = Dictionary(uniqueKeysWithValues: devices.map { ($0.code, $0) })
            codesById = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0.code) })
            boundKeys = Set(devices.compactMap(\.apiKeyId))
            kinds = Dictionary(uniqueKeysWithValues: try await DeviceService.kinds(on: db).map { ($0.code, $0) })
            rules = try await AlarmRuleRepository().all(on: db)
            rulesByKind = Dictionary(grouping: rules.filter(\.enabled), by: \.kindCode)
            rulesOfDevice = [:]
            route = try await RecentReadings().state(on: db).route
            if first {
                let allSeries = try await TelemetryRepository().allSeries(on: db)
                series = [:]
                for one in allSeries { series[one.deviceId, default: [:]][one.metric] = one.id }
                numbering = SeriesNumbering(existing: allSeries.map(\.id))
                let metricOf = Dictionary(uniqueKeysWithValues: allSeries.map { ($0.id, $0) })
                var engine = RuleEngine()
                for device in devices { engine.restore(deviceId: device.id, lastReadingAt: device.lastReadingAt) }
                for (id, track) in try await TelemetryRepository().tracks(of: allSeries, on: db) {
                    if let series = metricOf[id] {
                        engine.restore(deviceId: series.deviceId, metric: series.metric, track: track)
                    }
                }
                // Reading times not yet flushed to the device rows are in the tracks; keep the rows' copy in step.
                for index in devices.indices {
                    if let last = engine.devices[devices[index].id]?.lastReadingAt,
                        last > (devices[index].lastReadingAt ?? .min)
                    {
                        devicesByCode[devices[index].code]?.lastReadingAt = last
                    }
                }
                for (key, state) in try await AlarmRuleRepository().allStates(on: db) {
                    engine.restore(key, state: state)
                }
                engine.markSaved()
                self.engine = engine
                try await reloadOpenAlarms(on: db)
            }
        }
        loaded = true
    }

    func reloadOpenAlarms(on db: any SQLDatabase) async throws {
        openAlarms = Dictionary(
            try await AlarmRepository().open(on: db).map {
                (RuleEngine.Key(ruleId: $0.ruleId, deviceId: $0.deviceId), $0)
            },
            uniquingKeysWith: { a, _ in a })
    }

    func device(id: String) -> Device? { codesById[id].flatMap { devicesByCode[$0] } }

    private var rulesOfDevice: [String: [AlarmRule]] = [:]

    /// The enabled rules that watch a device.
    func rules(for device: Device) -> [AlarmRule] {
        if let known = rulesOfDevice[device.id] { return known }
        let found = (rulesByKind[device.kindCode] ?? []).filter {
            $0.applies(toDeviceId: device.id, kindCode: device.kindCode, areaPath: device.areaPath)
        }
        rulesOfDevice[device.id] = found
        return found
    }

    /// A device or gateway key (one devices are bound to) writes only its own devices; a key
    /// no device is bound to (an area's integration) writes the unbound devices in its area.
    func mayWrite(_ actor: Principal, _ device: Device) -> Bool {
        if actor.id == Principal.system.id { return true }
        if let owner = device.apiKeyId { return owner == actor.id }
        return !boundKeys.contains(actor.id) && actor.canSee(path: device.areaPath)
    }
}
