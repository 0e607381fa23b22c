import ChengyunCore
import SQLKit
import Synchronization

/// What a monitoring turn does to devices: newest reading times (kept in memory, flushed now and
/// then), state changes (offline → online, → offline, maintenance over) and vehicles' positions,
/// which are written in the turn's transaction.
struct DeviceChanges {
    private var changed: [String: Device] = [:]
    private var before: [String: DeviceState] = [:]
    private var seen: [String: Int64] = [:]
    /// Devices whose position this turn moved: the resources they track follow.
    private var moved: Set<String> = []

    var isEmpty: Bool { changed.isEmpty }

    /// A reading the rules judged (so newer than any before it from the device).
    mutating func reading(_ device: Device, at: Int64, position: GeoPoint?) {
        let newest = max(seen[device.id] ?? at, at)
        seen[device.id] = newest
        // Devices stay as they are in the usual case: no copy of the record.
        guard device.state == .offline || position != nil || changed[device.id] != nil else { return }
        var current = changed[device.id] ?? device
        if current.state == .offline { current.state = .online }
        if let position, newest == at {
            (current.lon, current.lat) = (position.lon, position.lat)
            moved.insert(device.id)
        }
        record(current, was: device.state, lastReadingAt: newest)
    }

    mutating func offline(_ device: Device?) {
        guard let device, seen[device.id] == nil else { return }
        var current = changed[device.id] ?? device
        guard current.state == .online else { return }
        current.state = .offline
        record(current, was: device.state, lastReadingAt: nil)
    }

    mutating func rearm(_ device: Device, lastReadingAt: Int64?) {
        var current = changed[device.id] ?? device
        current.lastReadingAt = lastReadingAt ?? current.lastReadingAt
        current.state = current.lastReadingAt == nil ? .offline : .online
        current.disarmedUntil = nil
        current.disarmReason = nil
        record(current, was: device.state, lastReadingAt: nil)
    }

    private mutating func record(_ device: Device, was state: DeviceState, lastReadingAt: Int64?) {
        var device = device
        if let lastReadingAt { device.lastReadingAt = max(device.lastReadingAt ?? lastReadingAt, lastReadingAt) }
        if before[device.id] == nil { before[device.id] = state }
        changed[device.id] = device
    }

    func save(on db: any SQLDatabase, at now: Int64) async throws {
        for var device in changed.values {
            device.updatedAt = now
            try await DeviceRepository().update(device, on: db)
            if moved.contains(device.id) {
                try await ResourceRepository().follow(
                    tracker: device.id, to: GeoPoint(lon: device.lon, lat: device.lat), at: now, on: db)
            }
        }
    }

    /// Brings the engine's directory up to date after the commit; the events for state changes.
    func apply(to memory: MonitoringMemory, at now: Int64) -> [MonitoringEvent] {
        var events: [MonitoringEvent] = []
        for var device in changed.values {
            device.updatedAt = now
            memory.devicesByCode[device.code] = device
            if before[device.id] != device.state { events.append(.device(device.stateChange(at: now))) }
        }
        memory.seen.note(seen)
        return events
    }
}

/// Devices' newest reading times not yet written to their rows (the directory in memory keeps
/// the rows' copy; reads overlay these).
final class SeenReadings: Sendable {
    private let pending = Mutex<[String: Int64]>([:])

    func note(_ seen: [String: Int64]) {
        guard !seen.isEmpty else { return }
        pending.withLock { pending in
            if pending.isEmpty { pending = seen; return }
            pending.merge(seen) { Swift.max($0, $1) }
        }
    }

    func lastReadingAt(_ id: String) -> Int64? { pending.withLock { $0[id] } }

    func take() -> [String: Int64] {
        pending.withLock {
            let taken = $0; $0 = [:]; return taken
        }
    }

    func giveBack(_ taken: [String: Int64]) { note(taken) }
}
