/// The rule engine's memory: each device's tracks and each rule's state on each device, with a
/// note of which rule states changed since the owner last saved them. (Tracks need no saving:
/// they are rebuilt from the stored readings.)
public struct RuleEngine: Sendable {
    public struct DeviceMemory: Sendable, Equatable {
        public var lastReadingAt: Int64?
        public var tracks: [String: MetricTrack] = [:]
        public var position: GeoPoint?
        public init(lastReadingAt: Int64? = nil) { self.lastReadingAt = lastReadingAt }
    }

    public struct Key: Hashable, Sendable {
        public var ruleId: String
        public var deviceId: String
        public init(ruleId: String, deviceId: String) { (self.ruleId, self.deviceId) = (ruleId, deviceId) }
    }

    /// A rule's alarm changing on a device, with what was seen.
    public struct Firing: Sendable, Equatable {
        public var rule: AlarmRule
        public var deviceId: String
        public var edge: AlarmEdge
        public var at: Int64
        public var metric: String?
        public var value: Double?
    }

    public private(set) var devices: [String: DeviceMemory] = [:]
    /// Device → rule → state: one lookup by device per reading, then the device's few rules.
    private var states: [String: [String: ConditionState]] = [:]
    public private(set) var changedStates: Set<Key> = []

    public init() {}

    // MARK: Loading what was saved

    public mutating func restore(deviceId: String, metric: String, track: MetricTrack) {
        var memory = devices[deviceId] ?? DeviceMemory()
        memory.tracks[metric] = track
        memory.lastReadingAt = max(memory.lastReadingAt ?? track.at, track.at)
        devices[deviceId] = memory
    }

    public mutating func restore(deviceId: String, lastReadingAt: Int64?) {
        guard let lastReadingAt else { return }
        var memory = devices[deviceId] ?? DeviceMemory()
        memory.lastReadingAt = max(memory.lastReadingAt ?? lastReadingAt, lastReadingAt)
        devices[deviceId] = memory
    }

    public mutating func restore(_ key: Key, state: ConditionState) {
        states[key.deviceId, default: [:]][key.ruleId] = state
    }

    public mutating func markSaved() {
        changedStates.removeAll(keepingCapacity: true)
    }

    public func track(deviceId: String, metric: String) -> MetricTrack? { devices[deviceId]?.tracks[metric] }
    public func state(_ key: Key) -> ConditionState { states[key.deviceId]?[key.ruleId] ?? ConditionState() }
    /// The states changed since `markSaved`, with their values: what a turn writes.
    public var unsavedStates: [(Key, ConditionState)] { changedStates.map { ($0, state($0)) } }

    // MARK: Judging

    /// Takes in one reading of a device and judges the rules that watch it. Values no newer than
    /// what the device already reported (late or repeated readings) are kept out of judgement.
    public mutating func observe(deviceId: String, _ observation: Observation, rules: [AlarmRule]) -> [Firing] {
        judge(deviceId: deviceId, observation, rules: rules) ?? []
    }

    /// As `observe`, but nil when the reading brings nothing new (every value no newer than the
    /// one already seen for its metric): a reading stored before, or a late one the rules pass over.
    public mutating func judge(deviceId: String, _ observation: Observation, rules: [AlarmRule]) -> [Firing]? {
        // Changed in place through the dictionary's modify accessor: one lookup, and the tracks
        // stay uniquely held (no copy, no removal and reinsertion).
        guard
            let (fresh, newer, previousReadingAt, tracks) = Self.take(
                observation, into: &devices[deviceId, default: DeviceMemory()])
        else {
            return nil
        }
        var firings: [Firing] = []
        var ruleStates = states.removeValue(forKey: deviceId) ?? [:]
        defer { if !ruleStates.isEmpty { states[deviceId] = ruleStates } }
        for rule in rules {
            let key = Key(ruleId: rule.id, deviceId: deviceId)
            var before = ruleStates[rule.id] ?? ConditionState()
            // A gap nobody's clock saw (data sent late in bulk, a replay, the server down): the
            // offline spell is recorded as it was, raised when the silence passed the limit and
            // cleared by this reading.
            if case .noData(let minutes) = rule.condition, !before.holds, newer, let last = previousReadingAt,
                observation.at - last > Int64(minutes) * 60_000
            {
                firings.append(
                    Firing(
                        rule: rule, deviceId: deviceId, edge: .raise(rule.severity), at: last + Int64(minutes) * 60_000,
                        metric: nil, value: nil))
                before = ConditionState(holds: true)
            }
            var after = before
            RuleEvaluation.observe(rule.condition, &after, fresh, tracks: tracks)
            guard after != before else { continue }
            ruleStates[rule.id] = after == ConditionState() ? nil : after
            changedStates.insert(key)
            if let edge = RuleEvaluation.edge(rule, from: before, to: after) {
                let metric = rule.condition.metrics.sorted().first { fresh.value($0) != nil }
                firings.append(
                    Firing(
                        rule: rule, deviceId: deviceId, edge: edge, at: observation.at, metric: metric,
                        value: metric.flatMap { fresh.value($0) }))
            }
        }
        return firings
    }

    /// Records a reading's newer values in the device's tracks; nil when it brings nothing new.
    private static func take(_ observation: Observation, into memory: inout DeviceMemory)
        -> (fresh: Observation, newer: Bool, previousReadingAt: Int64?, tracks: [String: MetricTrack])?
    {
        let previousReadingAt = memory.lastReadingAt
        var fresh = observation
        fresh.values = observation.values.filter { value in
            memory.tracks[value.metric].map { observation.at > $0.at } ?? true
        }
        let newer = memory.lastReadingAt.map { observation.at > $0 } ?? true
        if fresh.values.isEmpty && !(newer && observation.position != nil) { return nil }
        if !newer { fresh.position = nil }
        for (metric, value) in fresh.values {
            memory.tracks[metric] =
                memory.tracks[metric].map { $0.next(at: observation.at, value: value) }
                ?? MetricTrack(at: observation.at, value: value, since: observation.at)
        }
        if newer {
            memory.lastReadingAt = observation.at
            if let position = fresh.position { memory.position = position }
        }
        return (fresh, newer, previousReadingAt, memory.tracks)
    }

    /// Judges the clock-driven rules (no data) of a device at `now`.
    public mutating func silence(deviceId: String, now: Int64, rules: [AlarmRule]) -> [Firing] {
        let last = devices[deviceId]?.lastReadingAt
        var firings: [Firing] = []
        for rule in rules where rule.condition.watchesSilence {
            let key = Key(ruleId: rule.id, deviceId: deviceId)
            let before = states[deviceId]?[rule.id] ?? ConditionState()
            var after = before
            RuleEvaluation.silence(rule.condition, &after, now: now, lastReadingAt: last)
            guard after != before else { continue }
            states[deviceId, default: [:]][rule.id] = after
            changedStates.insert(key)
            if let edge = RuleEvaluation.edge(rule, from: before, to: after) {
                firings.append(Firing(rule: rule, deviceId: deviceId, edge: edge, at: now, metric: nil, value: nil))
            }
        }
        return firings
    }

    /// Forgets a rule's state on every device (the rule was changed or switched off).
    public mutating func reset(ruleId: String) {
        for deviceId in states.keys where states[deviceId]?[ruleId] != nil {
            states[deviceId]?[ruleId] = nil
            changedStates.insert(Key(ruleId: ruleId, deviceId: deviceId))
        }
    }
}
