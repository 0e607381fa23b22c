import ChengyunCore
import Foundation
import SQLKit

/// Device kinds and the device registry (运行监测, docs/domain.md §7).
public struct DeviceService: Sendable {
    let platform: Platform
    let devices = DeviceRepository()

    // MARK: Kinds

    /// The kinds shipped with the platform, one for every kind in docs/domain.md §7 (read once).
    public static func builtInKinds() throws -> [DeviceKind] { try shipped.get() }

    private static let shipped = Result { try ShippedFile.read("default-device-kinds", as: [DeviceKind].self) }

    public func kinds() async throws -> [DeviceKind] {
        try await platform.pool.read { try await kinds(on: $0) }
    }

    func kinds(on db: any SQLDatabase) async throws -> [DeviceKind] { try await Self.kinds(on: db) }

    static func kinds(on db: any SQLDatabase) async throws -> [DeviceKind] {
        try builtInKinds() + (try await DeviceRepository().customKinds(on: db))
    }

    public func addKind(_ input: DeviceKind, by actor: Principal) async throws -> DeviceKind {
        var kind = input
        kind.builtIn = false
        try kind.validate()
        return try await platform.write(
            actor, "device_kind.create", target: "device_kind", summary: { ($0.code, $0.name) }
        ) { db in
            if try await kinds(on: db).contains(where: { $0.code == kind.code }) {
                throw DomainError(.conflict, code: "duplicate_code", "A device kind with code \(kind.code) exists.")
            }
            try await devices.insert(kind, on: db)
            return kind
        }
    }

    // MARK: Devices

    /// Registers a device where its position is: the grid cell holding it gives its area, which
    /// must be in the caller's scope.
    public func register(_ input: NewDevice, by actor: Principal) async throws -> Device {
        let device = try await platform.write(
            actor, "device.create", target: "device", summary: { (d: Device) in (d.id, "\(d.code) \(d.kindCode)") }
        ) { db in
            let now = platform.now()
            var validator = Validator()
            validator.check(
                !input.code.isEmpty && input.code.count <= 64
                    && input.code.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "," },
                "code", "invalid_code", "A device code is 1–64 visible ASCII characters without commas.")
            validator.checkName(input.name)
            validator.check(
                GeoPoint(lon: input.lon, lat: input.lat).isValid, "lon", "invalid_position",
                "Longitude -180…180 and latitude -90…90.")
            if let component = input.componentCode {
                validator.check(
                    ComponentCode(component) != nil, "componentCode", "invalid_code", "A component code is 16 digits.")
            }
            let known = try await kinds(on: db).contains { $0.code == input.kindCode }
            validator.check(known, "kindCode", "unknown_kind", "No device kind has this code.")
            if let departmentId = input.departmentId {
                validator.check(
                    try await DepartmentRepository().find(id: departmentId, on: db)?.active == true, "departmentId",
                    "unknown_department", "No active department has this id.")
            }
            if let keyId = input.apiKeyId {
                let key = try await APIKeyRepository().find(id: keyId, on: db)
                validator.check(
                    key != nil && key?.revokedAt == nil && key?.scopes.contains(.telemetryWrite) == true, "apiKeyId",
                    "unknown_key", "No live API key with scope telemetry:write has this id.")
            }
            try validator.finish()
            let place = try await place(of: GeoPoint(lon: input.lon, lat: input.lat), areaId: input.areaId, on: db)
            try actor.requireScope(place.areaPath)
            if try await devices.find(code: input.code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "A device with code \(input.code) is registered.")
            }
            let device = Device(
                id: Identifier.make(at: now), code: input.code, kindCode: input.kindCode, name: input.name,
                componentCode: input.componentCode, lon: input.lon, lat: input.lat, gridCellId: place.cellId,
                areaId: place.areaId, areaPath: place.areaPath, departmentId: input.departmentId, state: .offline,
                lastReadingAt: nil, apiKeyId: input.apiKeyId, createdAt: now, updatedAt: now)
            try await devices.insert(device, on: db)
            try await EventOutbox().signal(.monitoringChanged, at: now, on: db)
            return device
        }
        platform.monitoring.invalidate()
        return device
    }

    /// The grid cell holding a position gives the area; outside the grid, the area named.
    private func place(of point: GeoPoint, areaId: String?, on db: any SQLDatabase) async throws -> (
        cellId: String?, areaId: String, areaPath: String
    ) {
        if let cell = try await GridCellRepository().locate(point, on: db) {
            return (cell.id, cell.areaId, cell.areaPath)
        }
        if let areaId, let area = try await AreaRepository().find(id: areaId, on: db) {
            return (nil, area.id, area.path)
        }
        throw DomainError.validation([
            FieldIssue(
                field: areaId == nil ? "lon" : "areaId", code: "outside_grid",
                message: "No grid cell of the city holds this position; name the area (areaId) it belongs to.")
        ])
    }

    // MARK: Maintenance (解防)

    public func disarm(id: String, _ input: DisarmInput, by actor: Principal) async throws -> Device {
        var validator = Validator()
        validator.check(input.until > platform.now(), "until", "invalid_value", "The window ends in the future.")
        validator.check(input.until <= platform.now() + 30 * 86_400_000, "until", "invalid_value", "At most 30 days.")
        validator.checkName(input.reason, field: "reason", max: 500)
        try validator.finish()
        return try await setMaintenance(
            id: id, until: input.until, reason: input.reason, action: "device.disarm", by: actor)
    }

    public func rearm(id: String, by actor: Principal) async throws -> Device {
        try await setMaintenance(id: id, until: nil, reason: nil, action: "device.rearm", by: actor)
    }

    private func setMaintenance(id: String, until: Int64?, reason: String?, action: String, by actor: Principal)
        async throws -> Device
    {
        let (device, published) = try await platform.write(
            actor, action, target: "device",
            summary: { (o: (Device, [SequencedEvent])) in (o.0.id, "\(o.0.code) \(reason ?? "rearmed")") }
        ) { db in
            var device = try actor.found(try await devices.find(id: id, on: db), "Device", in: \.areaPath)
            if until == nil && device.state != .maintenance {
                throw DomainError(.conflict, code: "invalid_state", "The device is not disarmed.")
            }
            device.disarmedUntil = until
            device.disarmReason = reason
            device.lastReadingAt = platform.monitoring.lastReadingAt(device)
            device.state = until != nil ? .maintenance : (device.lastReadingAt == nil ? .offline : .online)
            device.updatedAt = platform.now()
            try await devices.update(device, on: db)
            try await EventOutbox().signal(.monitoringChanged, at: device.updatedAt, on: db)
            let published = try await EventOutbox().append(
                [.device(device.stateChange(at: device.updatedAt))], at: device.updatedAt, on: db)
            return (device, published)
        }
        platform.monitoring.invalidate()
        platform.monitoring.events.committed(published)
        return device
    }

    // MARK: Readings

    /// The latest value of each metric the device has reported.
    public func latest(id: String, by actor: Principal) async throws -> [LatestValue] {
        let device = try await device(id: id, by: actor)
        return try await platform.pool.read { db in
            let series = try await TelemetryRepository().series(deviceId: device.id, on: db)
            let latest = try await TelemetryRepository().tracks(of: series, on: db)
            return series.compactMap { s in
                latest[s.id].map { LatestValue(metric: s.metric, at: $0.at, value: $0.value, since: $0.since) }
            }
        }
    }

    /// A metric over `[from, to)` in buckets of `bucketSeconds` counted from `from`: min, max,
    /// average, last and count per bucket. Raw readings where they are still kept, hourly rollups
    /// before that (whole hours land in the bucket holding their start).
    public func series(id: String, metric: String, from: Int64, to: Int64, bucketSeconds: Int, by actor: Principal)
        async throws -> SeriesAnswer
    {
        var validator = Validator()
        validator.check(to > from, "to", "invalid_value", "to comes after from.")
        validator.check(bucketSeconds >= 1, "bucket", "invalid_value", "At least one second.")
        validator.check(
            bucketSeconds >= 1 && (to - from) / (Int64(max(bucketSeconds, 1)) * 1000) < 100_000, "bucket",
            "too_many_buckets",
            "At most 100,000 buckets; choose a larger bucket.")
        try validator.finish()
        let device = try await device(id: id, by: actor)
        let repository = TelemetryRepository()
        return try await platform.pool.read { db in
            guard
                let series = try await repository.series(deviceId: device.id, on: db).first(where: {
                    $0.metric == metric
                })
            else {
                return SeriesAnswer(
                    deviceId: device.id, metric: metric, from: from, to: to, bucketSeconds: bucketSeconds, buckets: [])
            }
            var downsampler = Downsampler(from: from, bucketMillis: Int64(bucketSeconds) * 1000)
            for hour in try await repository.hourly(series: series.id, from: from, to: to, on: db)
            where hour.hour >= from - from.mod(3_600_000) {
                downsampler.add(
                    hourStart: max(hour.hour, from), min: hour.min, max: hour.max, sum: hour.sum, count: hour.count,
                    lastAt: hour.lastAt, last: hour.lastValue)
            }
            for (at, value) in try await repository.raw(series: series.id, from: from, to: to, on: db) {
                downsampler.add(at: at, value: value)
            }
            return SeriesAnswer(
                deviceId: device.id, metric: metric, from: from, to: to, bucketSeconds: bucketSeconds,
                buckets: downsampler.buckets)
        }
    }

    public func device(id: String, by actor: Principal) async throws -> Device {
        var device = try actor.found(
            try await platform.pool.read({ try await devices.find(id: id, on: $0) }), "Device", in: \.areaPath)
        device.lastReadingAt = platform.monitoring.lastReadingAt(device)
        return device
    }

    public func list(kindCode: String?, state: DeviceState?, page: PageRequest, by actor: Principal) async throws
        -> Page<Device>
    {
        var found = try await platform.pool.read {
            try await devices.list(scopePath: actor.listScope, kindCode: kindCode, state: state, page: page, on: $0)
        }
        for index in found.items.indices {
            found.items[index].lastReadingAt = platform.monitoring.lastReadingAt(found.items[index])
        }
        return found
    }

    /// Bulk registration from CSV (header required, any column order): code, kind, name, lon, lat,
    /// and optionally component_code and department (a department code). Each line is registered
    /// on its own, so the good lines stay and each bad one is reported with its reasons.
    public func importCSV(_ text: String, by actor: Principal) async throws -> DeviceImportReport {
        var table = try CSVTable(text, required: ["code", "kind", "name", "lon", "lat"])
        var report = DeviceImportReport(created: 0, rejected: [])
        while let record = table.next() {
            let value = record.value
            do {
                guard let lon = value("lon").flatMap(Double.init), let lat = value("lat").flatMap(Double.init) else {
                    throw DomainError.validation([
                        FieldIssue(field: "lon", code: "invalid_position", message: "lon and lat are decimal degrees.")
                    ])
                }
                var departmentId: String?
                if let code = value("department") {
                    departmentId = try await platform.pool.read {
                        try await DepartmentRepository().find(code: code, on: $0)?.id
                    }
                    guard departmentId != nil else {
                        throw DomainError.validation([
                            FieldIssue(
                                field: "department", code: "unknown_department",
                                message: "No department has code \(code).")
                        ])
                    }
                }
                _ = try await register(
                    NewDevice(
                        code: value("code") ?? "", kindCode: value("kind") ?? "", name: value("name") ?? "",
                        componentCode: value("component_code"), lon: lon, lat: lat, departmentId: departmentId),
                    by: actor)
                report.created += 1
            } catch let error as DomainError {
                report.rejected.append(
                    .init(
                        line: record.line, device: value("code"), code: error.code, message: error.message,
                        issues: error.issues.isEmpty ? nil : error.issues))
            }
        }
        return report
    }
}
