/// What the rule engine remembers of one metric of one device: the latest value, since when it
/// has not changed (for "stuck"), and the one before (for "rate").
public struct MetricTrack: Codable, Equatable, Sendable {
    public var at: Int64
    public var value: Double
    public var since: Int64
    public var previousAt: Int64?
    public var previous: Double?

    public init(at: Int64, value: Double, since: Int64, previousAt: Int64? = nil, previous: Double? = nil) {
        self.at = at
        self.value = value
        self.since = since
        self.previousAt = previousAt
        self.previous = previous
    }

    /// The track after a newer reading.
    public func next(at time: Int64, value new: Double) -> MetricTrack {
        MetricTrack(at: time, value: new, since: new == value ? since : time, previousAt: at, previous: value)
    }
}

/// The state of one rule on one device between readings: whether its condition holds, at which
/// level, since when a pending condition has been true, and the same for each part of a
/// composite. Persisted when it changes, so evaluation carries on across restarts.
public struct ConditionState: Codable, Equatable, Sendable {
    public var holds: Bool
    public var level: Int?
    public var since: Int64?
    public var children: [ConditionState]

    public init(holds: Bool = false, level: Int? = nil, since: Int64? = nil, children: [ConditionState] = []) {
        self.holds = holds
        self.level = level
        self.since = since
        self.children = children
    }
}

/// One reading of a device at one time: the values it carries and, for vehicles, where it was.
public struct Observation: Sendable {
    public var at: Int64
    public var values: [(metric: String, value: Double)]
    public var position: GeoPoint?

    public init(at: Int64, values: [(metric: String, value: Double)], position: GeoPoint? = nil) {
        self.at = at
        self.values = values
        self.position = position
    }

    public func value(_ metric: String) -> Double? { values.first { $0.metric == metric }?.value }
}

/// Judges conditions (docs/domain.md §7). Pure: the state goes in and comes out, so the same readings in
/// the same order always give the same alarms.
public enum RuleEvaluation {
    /// Speed at or under which a vehicle counts as stopped (km/h).
    public static let stoppedSpeed = 2.0

    /// Re-judges a condition at a reading. Parts the reading says nothing about keep their state;
    /// `tracks` are the device's tracks including this reading.
    public static func observe(
        _ condition: RuleCondition, _ state: inout ConditionState, _ observation: Observation,
        tracks: [String: MetricTrack]
    ) {
        let at = observation.at
        switch condition {
        case .threshold(let t):
            guard let value = observation.value(t.metric) else { return }
            threshold(t, value: value, at: at, &state)
        case .rate(let r):
            guard let value = observation.value(r.metric) else { return }
            if let track = tracks[r.metric], let previous = track.previous, let previousAt = track.previousAt,
                at > previousAt
            {
                state.holds = abs(value - previous) / (Double(at - previousAt) / 60_000) > r.maxChangePerMinute
            } else {
                state.holds = false
            }
        case .noData:
            state.holds = false
        case .stuck(let metric, let minutes):
            guard observation.value(metric) != nil, let track = tracks[metric] else { return }
            state.holds = at - track.since >= Int64(minutes) * 60_000
        case .geofence(let g):
            guard let position = observation.position else { return }
            let inside = g.zones.contains { $0.contains(position) }
            var matches = g.alarmWhen == .inside ? inside : !inside
            if g.stoppedOnly {
                let speed = observation.value("speed") ?? tracks["speed"]?.value
                matches = matches && (speed.map { $0 <= stoppedSpeed } ?? false)
            }
            dwell(matches, minutes: g.minutes, at: at, &state)
        case .all(let children), .any(let children):
            prepare(&state, children.count)
            for (index, child) in children.enumerated() {
                observe(child, &state.children[index], observation, tracks: tracks)
            }
            state.holds = combine(condition, state)
        }
    }

    /// Re-judges the clock-driven parts at `now`: no data since the last reading.
    public static func silence(
        _ condition: RuleCondition, _ state: inout ConditionState, now: Int64, lastReadingAt: Int64?
    ) {
        switch condition {
        case .noData(let minutes):
            guard let last = lastReadingAt else { return }
            state.holds = now - last > Int64(minutes) * 60_000
        case .all(let children), .any(let children):
            prepare(&state, children.count)
            for (index, child) in children.enumerated() {
                silence(child, &state.children[index], now: now, lastReadingAt: lastReadingAt)
            }
            state.holds = combine(condition, state)
        default:
            return
        }
    }

    /// The severity an alarm in this state has: the level reached for thresholds, else the rule's.
    public static func severity(_ rule: AlarmRule, _ state: ConditionState) -> AlarmSeverity {
        if case .threshold(let t) = rule.condition, let level = state.level, t.levels.indices.contains(level) {
            return t.levels[level].severity
        }
        return rule.severity
    }

    /// What changed for the alarm between two states of a rule on a device.
    public static func edge(_ rule: AlarmRule, from before: ConditionState, to after: ConditionState) -> AlarmEdge? {
        switch (before.holds, after.holds) {
        case (false, true): return .raise(severity(rule, after))
        case (true, false): return .clear
        case (true, true):
            let (old, new) = (severity(rule, before), severity(rule, after))
            return old == new ? nil : .change(new)
        case (false, false): return nil
        }
    }

    // Levels rise in severity. Not holding: the highest level reached, once it has been reached
    // for `forSeconds`. Holding: a level is kept until the value is `hysteresis` back inside it.
    static func threshold(_ t: RuleCondition.Threshold, value: Double, at: Int64, _ state: inout ConditionState) {
        let sign = t.direction == .above ? 1.0 : -1.0
        let v = value * sign
        let reached = t.levels.lastIndex { v >= $0.value * sign }
        if state.holds, let current = state.level {
            let kept = t.levels[...min(current, t.levels.count - 1)].lastIndex { v > $0.value * sign - t.hysteresis }
            let level = max(reached ?? -1, kept ?? -1)
            if level < 0 {
                state = ConditionState()
            } else {
                state.level = level
            }
            return
        }
        guard let reached else {
            state = ConditionState()
            return
        }
        let since = state.since ?? at
        state.since = since
        if at - since >= Int64(t.forSeconds) * 1000 {
            state.holds = true
            state.level = reached
        }
    }

    static func dwell(_ matches: Bool, minutes: Int, at: Int64, _ state: inout ConditionState) {
        guard matches else {
            state = ConditionState()
            return
        }
        let since = state.since ?? at
        state.since = since
        state.holds = at - since >= Int64(minutes) * 60_000
    }

    private static func prepare(_ state: inout ConditionState, _ count: Int) {
        if state.children.count != count { state.children = Array(repeating: ConditionState(), count: count) }
    }

    private static func combine(_ condition: RuleCondition, _ state: ConditionState) -> Bool {
        if case .all = condition { return state.children.allSatisfy(\.holds) }
        return state.children.contains(where: \.holds)
    }
}

/// A change to the alarm of a rule on a device.
public enum AlarmEdge: Equatable, Sendable {
    case raise(AlarmSeverity)
    case change(AlarmSeverity)
    case clear
}
