import ChengyunCore
import Foundation
import SQLKit

/// Devices and the kinds administrators added.
public struct DeviceRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String, code: String, kindCode: String, name: String, componentCode: String?
        var lon: Double, lat: Double, gridCellId: String?, areaId: String, areaPath: String, departmentId: String?
        var state: DeviceState, lastReadingAt: Int64?, apiKeyId: String?, disarmedUntil: Int64?, disarmReason: String?
        var createdAt: Int64, updatedAt: Int64

        init(_ d: Device) {
            id = d.id
            code = d.code
            kindCode = d.kindCode
            name = d.name
            componentCode = d.componentCode
            lon = d.lon
            lat = d.lat
            gridCellId = d.gridCellId
            areaId = d.areaId
            areaPath = d.areaPath
            departmentId = d.departmentId
            state = d.state
            lastReadingAt = d.lastReadingAt
            createdAt = d.createdAt
            updatedAt = d.updatedAt
            apiKeyId = d.apiKeyId
            disarmedUntil = d.disarmedUntil
            disarmReason = d.disarmReason
        }

        var device: Device {
            Device(
                id: id, code: code, kindCode: kindCode, name: name, componentCode: componentCode, lon: lon, lat: lat,
                gridCellId: gridCellId, areaId: areaId, areaPath: areaPath, departmentId: departmentId, state: state,
                lastReadingAt: lastReadingAt, apiKeyId: apiKeyId, disarmedUntil: disarmedUntil,
                disarmReason: disarmReason,
                createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    struct KindRow: Codable {
        var code: String, name: String, nameEn: String, metrics: String, tracksPosition: Int, defaultRules: String

        init(_ k: DeviceKind) throws {
            code = k.code
            name = k.name
            nameEn = k.nameEn
            tracksPosition = k.tracksPosition ? 1 : 0
            metrics = String(decoding: try JSONEncoder().encode(k.metrics), as: UTF8.self)
            defaultRules = String(decoding: try JSONEncoder().encode(k.defaultRules), as: UTF8.self)
        }

        func kind() throws -> DeviceKind {
            DeviceKind(
                code: code, name: name, nameEn: nameEn,
                metrics: try JSONDecoder().decode([MetricSpec].self, from: Data(metrics.utf8)),
                tracksPosition: tracksPosition != 0, builtIn: false,
                defaultRules: try JSONDecoder().decode([RuleTemplate].self, from: Data(defaultRules.utf8)))
        }
    }

    func insert(_ device: Device, on db: any SQLDatabase) async throws {
        try await db.insert(into: "devices").model(Row(device), with: rowEncoder).run()
    }

    func find(id: String, on db: any SQLDatabase) async throws -> Device? {
        try await db.select().column("*").from("devices").where("id", .equal, id).first(
            decoding: Row.self, with: rowDecoder)?.device
    }

    func find(code: String, on db: any SQLDatabase) async throws -> Device? {
        try await db.select().column("*").from("devices").where("code", .equal, code).first(
            decoding: Row.self, with: rowDecoder)?.device
    }

    func all(on db: any SQLDatabase) async throws -> [Device] {
        try await db.select().column("*").from("devices").all(decoding: Row.self, with: rowDecoder).map(\.device)
    }

    func update(_ device: Device, on db: any SQLDatabase) async throws {
        try await db.update("devices").set(model: Row(device), with: rowEncoder).where("id", .equal, device.id).run()
    }

    /// Flushes the newest reading times kept in memory (never moving one back).
    func noteLastReadings(_ seen: [String: Int64], on db: any SQLDatabase) async throws {
        for (id, at) in seen {
            try await db.raw(
                "UPDATE devices SET last_reading_at = \(bind: at) WHERE id = \(bind: id) AND (last_reading_at IS NULL OR last_reading_at < \(bind: at))"
            ).run()
        }
    }

    func list(scopePath: String?, kindCode: String?, state: DeviceState?, page: PageRequest, on db: any SQLDatabase)
        async throws
        -> Page<Device>
    {
        var query = db.select().column("*").from("devices").inScope(scopePath)
        if let kindCode { query = query.where("kind_code", .equal, kindCode) }
        if let state { query = query.where("state", .equal, state.rawValue) }
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(rows.map(\.device)) { $0.id }
    }

    func insert(_ kind: DeviceKind, on db: any SQLDatabase) async throws {
        try await db.insert(into: "device_kinds").model(try KindRow(kind), with: rowEncoder).run()
    }

    func customKinds(on db: any SQLDatabase) async throws -> [DeviceKind] {
        try await db.select().column("*").from("device_kinds").orderBy("code").all(
            decoding: KindRow.self, with: rowDecoder
        )
        .map { try $0.kind() }
    }
}
