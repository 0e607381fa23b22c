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

    var isEmpty: Bool { changed.isEmpty }

    mutating func reading(_ device: Device, at: Int64, position: GeoPoint?) {
        let newest = max(seen[device.id] ?? at, at)
        seen[device.id] = newest
        var current = changed[device.id] ?? device
        var touched = false
        if current.state == .offline && (current.lastReadingAt ?? .min) < newest {
            current.state = .online
            touched = true
        }
        if let position, newest == at {
            (current.lon, current.lat) = (position.lon, position.lat)
            touched = true
        }
        if touched { record(current, was: device.state, lastReadingAt: newest) }
    }

    mutating func offline(_ device: Device?) {
        guard let device, seen[device.id] == nil else { return }
        var current = changed[device.id] ?? device
        guard current.state == .online else { return }
        current.state = .offline
        record(current, was: device.state, lastReadingAt: nil)
    }

    mutating func rearm(_ device: Device) {
        var current = changed[device.id] ?? device
        current.state = current.lastReadingAt == nil ? .offline : .online
        (current.disarmedUntil, current.disarmReason) = (nil, nil)
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
        }
    }

    /// Brings the engine's directory up to date after the commit; the events for state changes.
    func apply(to memory: MonitoringMemory, at now: Int64) -> [MonitoringEvent] {
        var events: [MonitoringEvent] = []
        for (id, at) in seen where changed[id] == nil {
            guard var device = memory.device(id: id), (device.lastReadingAt ?? .min) < at else { continue }
            device.lastReadingAt = at
            memory.devicesByCode[device.code] = device
        }
        for var device in changed.values {
            device.updatedAt = now
            memory.devicesByCode[device.code] = device
            if before[device.id] != device.state { events.append(.device(device.stateChange(at: now))) }
        }
        memory.seen.note(seen)
        return events
    }
}

/// Devices' newest reading times not yet written to their rows.
final class SeenReadings: Sendable {
    private let pending = Mutex<[String: Int64]>([:])
    private let known = Mutex<[String: Int64]>([:])

    func note(_ seen: [String: Int64]) {
        guard !seen.isEmpty else { return }
        pending.withLock { pending in for (id, at) in seen where at > pending[id] ?? .min { pending[id] = at } }
        known.withLock { known in for (id, at) in seen where at > known[id] ?? .min { known[id] = at } }
    }

    func lastReadingAt(_ id: String) -> Int64? { known.withLock { $0[id] } }

    func take() -> [String: Int64] { pending.withLock { let taken = $0; $0 = [:]; return taken } }

    func giveBack(_ taken: [String: Int64]) { note(taken) }
}
