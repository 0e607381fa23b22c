import ChengyunCore
import Foundation
import SQLKit

/// Device kinds and the device registry (运行监测, DOMAIN §7).
public struct DeviceService: Sendable {
    let platform: Platform
    let devices = DeviceRepository()

    // MARK: Kinds

    /// The kinds shipped with the platform, one for every kind in DOMAIN §7 (read once).
    public static func builtInKinds() throws -> [DeviceKind] { try shipped.get() }

    private static let shipped = Result<[DeviceKind], any Error> {
        guard let url = Bundle.module.url(forResource: "default-device-kinds", withExtension: "json", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode([DeviceKind].self, from: Data(contentsOf: url))
    }

    public func kinds() async throws -> [DeviceKind] {
        try await platform.pool.read { try await kinds(on: $0) }
    }

    func kinds(on db: any SQLDatabase) async throws -> [DeviceKind] {
        try Self.builtInKinds() + (try await devices.customKinds(on: db))
    }

    public func addKind(_ input: DeviceKind, by actor: Principal) async throws -> DeviceKind {
        var kind = input
        kind.builtIn = false
        try kind.validate()
        return try await platform.write(actor, "device_kind.create", target: "device_kind", summary: { ($0.code, $0.name) }) { db in
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
        try await platform.write(actor, "device.create", target: "device", summary: { ($0.id, "\($0.code) \($0.kindCode)") }) { db in
            let now = platform.now()
            var validator = Validator()
            validator.check(!input.code.isEmpty && input.code.count <= 64 && input.code.allSatisfy { $0.isASCII && !$0.isWhitespace && $0 != "," },
                            "code", "invalid_code", "A device code is 1–64 visible ASCII characters without commas.")
            validator.checkName(input.name)
            validator.check(GeoPoint(lon: input.lon, lat: input.lat).isValid, "lon", "invalid_position",
                            "Longitude -180…180 and latitude -90…90.")
            if let component = input.componentCode {
                validator.check(ComponentCode(component) != nil, "componentCode", "invalid_code", "A component code is 16 digits.")
            }
            let known = try await kinds(on: db).contains { $0.code == input.kindCode }
            validator.check(known, "kindCode", "unknown_kind", "No device kind has this code.")
            if let departmentId = input.departmentId {
                validator.check(try await DepartmentRepository().find(id: departmentId, on: db)?.active == true, "departmentId",
                                "unknown_department", "No active department has this id.")
            }
            try validator.finish()
            guard let cell = try await GridCellRepository().locate(GeoPoint(lon: input.lon, lat: input.lat), on: db) else {
                throw DomainError.validation([FieldIssue(field: "lon", code: "outside_grid", message: "No grid cell of the city holds this position.")])
            }
            try actor.requireScope(cell.areaPath)
            if try await devices.find(code: input.code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "A device with code \(input.code) is registered.")
            }
            let device = Device(id: Identifier.make(at: now), code: input.code, kindCode: input.kindCode, name: input.name,
                                componentCode: input.componentCode, lon: input.lon, lat: input.lat, gridCellId: cell.id,
                                areaId: cell.areaId, areaPath: cell.areaPath, departmentId: input.departmentId, state: .offline,
                                lastReadingAt: nil, createdAt: now, updatedAt: now)
            try await devices.insert(device, on: db)
            return device
        }
    }

    public func device(id: String, by actor: Principal) async throws -> Device {
        guard let device = try await platform.pool.read({ try await devices.find(id: id, on: $0) }) else {
            throw DomainError.notFound("Device")
        }
        try actor.requireScope(device.areaPath)
        return device
    }

    public func list(kindCode: String?, state: DeviceState?, page: PageRequest, by actor: Principal) async throws -> Page<Device> {
        try await platform.pool.read { try await devices.list(scopePath: actor.listScope, kindCode: kindCode, state: state, page: page, on: $0) }
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
                    throw DomainError.validation([FieldIssue(field: "lon", code: "invalid_position", message: "lon and lat are decimal degrees.")])
                }
                var departmentId: String?
                if let code = value("department") {
                    departmentId = try await platform.pool.read { try await DepartmentRepository().find(code: code, on: $0)?.id }
                    guard departmentId != nil else {
                        throw DomainError.validation([FieldIssue(field: "department", code: "unknown_department", message: "No department has code \(code).")])
                    }
                }
                _ = try await register(NewDevice(code: value("code") ?? "", kindCode: value("kind") ?? "", name: value("name") ?? "",
                                                 componentCode: value("component_code"), lon: lon, lat: lat, departmentId: departmentId),
                                       by: actor)
                report.created += 1
            } catch let error as DomainError {
                report.rejected.append(.init(line: record.line, device: value("code"), code: error.code, message: error.message,
                                             issues: error.issues.isEmpty ? nil : error.issues))
            }
        }
        return report
    }
}
