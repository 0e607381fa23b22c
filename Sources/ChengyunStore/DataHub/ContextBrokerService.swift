import ChengyunCore
import Foundation
import SQLKit

/// The NGSI-LD door's reading side: devices (with the latest value of each metric) and alarms in
/// the caller's area as context entities. Candidates come from the database in key order, narrowed
/// by scope, ids and the geo-query's box; `q` and the exact geometry are decided in Core. A page
/// stops the scan once it is full, unless the total is asked for; a query that would read more
/// than `scanLimit` candidates is refused as too complex rather than answered in part.
public struct ContextBrokerService: Sendable {
    let platform: Platform
    public static let scanLimit = 20_000
    static let chunk = 500

    public init(platform: Platform) { self.platform = platform }

    public func entities(_ query: ContextEntityQuery, by actor: Principal) async throws -> ContextPage {
        guard actor.readsContext else { throw DomainError.outOfScope() }
        var page = ContextPage(offset: query.offset, limit: query.limit, counting: query.count)
        try await platform.pool.read { db in
            var budget = Self.scanLimit
            for type in query.types ?? ContextEntityType.allCases where !page.isFull {
                try await scan(type, query, actor, &page, &budget, on: db)
            }
            // The page's devices show their readings even when deciding did not need them.
            if !query.needsReadings {
                let codes = page.entities.compactMap { ContextEntityType.parse(id: $0.id) }.filter {
                    $0.type == .device
                }
                if !codes.isEmpty {
                    let devices = try await devices(codes: codes.map(\.key), on: db)
                    let entities = try await entities(of: devices, on: db)
                    page.entities = page.entities.map { entities[$0.id] ?? $0 }
                }
            }
        }
        return page
    }

    /// One entity by its URN, if it is in the caller's area.
    public func entity(id: String, by actor: Principal) async throws -> ContextEntity {
        guard actor.readsContext else { throw DomainError.outOfScope() }
        guard let (type, key) = ContextEntityType.parse(id: id) else { throw DomainError.notFound("Entity \(id)") }
        return try await platform.pool.read { db in
            switch type {
            case .device:
                guard let device = try await DeviceRepository().find(code: key, on: db),
                    actor.canSee(path: device.areaPath)
                else { throw DomainError.notFound("Entity \(id)") }
                return try await entities(of: [device], on: db)[id] ?? .device(device, readings: [])
            case .alarm:
                guard let alarm = try await AlarmRepository().find(id: key, on: db), actor.canSee(path: alarm.areaPath)
                else { throw DomainError.notFound("Entity \(id)") }
                return .alarm(alarm)
            }
        }
    }

    /// The types with at least one entity in the caller's area.
    public func types(by actor: Principal) async throws -> [ContextEntityType] {
        guard actor.readsContext else { throw DomainError.outOfScope() }
        return try await platform.pool.read { db in
            var found: [ContextEntityType] = []
            for (type, table) in [(ContextEntityType.device, "devices"), (.alarm, "alarms")] {
                if try await db.select().column("id").from(table).inScope(actor.listScope).limit(1).first() != nil {
                    found.append(type)
                }
            }
            return found
        }
    }

    /// Reads one type's candidates chunk by chunk in key order into the page.
    private func scan(
        _ type: ContextEntityType, _ query: ContextEntityQuery, _ actor: Principal, _ page: inout ContextPage,
        _ budget: inout Int, on db: any SQLDatabase
    ) async throws {
        let keys = query.keys(of: type)
        if keys?.isEmpty == true { return }
        // Devices by code; alarms newest first (ids follow time), so the open ones come early.
        let (table, key, newestFirst) = type == .device ? ("devices", "code", false) : ("alarms", "id", true)
        var after: String?
        while !page.isFull {
            let select = candidates(
                table, key: key, descending: newestFirst, after: after, keys: keys, query, actor, on: db)
            let (entities, last, count) = try await chunk(type, select, query, on: db)
            try spend(count, &budget)
            for entity in entities where !page.isFull && query.admits(entity) { page.add(entity) }
            guard count == Self.chunk, let last else { return }
            after = last
        }
    }

    /// A chunk's entities (devices with their readings when deciding needs them), its last key
    /// and how many rows it read.
    private func chunk(
        _ type: ContextEntityType, _ select: SQLSelectBuilder, _ query: ContextEntityQuery, on db: any SQLDatabase
    )
        async throws -> ([ContextEntity], last: String?, count: Int)
    {
        switch type {
        case .device:
            let devices = try await select.all(decoding: DeviceRepository.Row.self, with: rowDecoder).map(\.device)
            let readings = query.needsReadings ? try await entities(of: devices, on: db) : [:]
            let found = devices.map { readings[ContextEntityType.device.urn($0.code)] ?? .device($0, readings: []) }
            return (found, devices.last?.code, devices.count)
        case .alarm:
            let alarms = try await select.all(decoding: Alarm.self, with: rowDecoder)
            return (alarms.map(ContextEntity.alarm), alarms.last?.id, alarms.count)
        }
    }

    /// The next chunk of a table's rows in key order, within the caller's scope, the ids named and
    /// the geo-query's box.
    private func candidates(
        _ table: String, key: String, descending: Bool, after: String?, keys: [String]?, _ query: ContextEntityQuery,
        _ actor: Principal, on db: any SQLDatabase
    ) -> SQLSelectBuilder {
        let select = db.select().column("*").from(table).inScope(actor.listScope)
        if let keys { select.where(SQLIdentifier(key), .in, keys) }
        if let after { select.where(SQLIdentifier(key), descending ? .lessThan : .greaterThan, after) }
        if let box = query.geo?.boundingBox {
            select.where("lon", .greaterThanOrEqual, box.minLon).where("lon", .lessThanOrEqual, box.maxLon)
                .where("lat", .greaterThanOrEqual, box.minLat).where("lat", .lessThanOrEqual, box.maxLat)
        }
        return select.orderBy(key, descending ? .descending : .ascending).limit(Self.chunk)
    }

    private func spend(_ rows: Int, _ budget: inout Int) throws {
        budget -= rows
        guard budget >= 0 else {
            throw DomainError(
                .invalid, code: "too_complex_query",
                "The query reads more than \(Self.scanLimit) entities; narrow it by type, id or a geo-query, or leave count out."
            )
        }
    }

    private func devices(codes: [String], on db: any SQLDatabase) async throws -> [Device] {
        try await db.select().column("*").from("devices").where("code", .in, codes)
            .all(decoding: DeviceRepository.Row.self, with: rowDecoder).map(\.device)
    }

    /// Each device as an entity with its latest readings, by entity id.
    private func entities(of devices: [Device], on db: any SQLDatabase) async throws -> [String: ContextEntity] {
        guard !devices.isEmpty else { return [:] }
        let telemetry = TelemetryRepository()
        let series = try await telemetry.series(deviceIds: devices.map(\.id), on: db)
        let tracks = try await telemetry.tracks(of: series, on: db)
        var readings: [String: [ContextReading]] = [:]
        for one in series {
            guard let track = tracks[one.id] else { continue }
            readings[one.deviceId, default: []].append(
                ContextReading(metric: one.metric, value: track.value, at: track.at))
        }
        var found: [String: ContextEntity] = [:]
        for var device in devices {
            device.lastReadingAt = platform.monitoring.lastReadingAt(device)
            let entity = ContextEntity.device(device, readings: readings[device.id] ?? [])
            found[entity.id] = entity
        }
        return found
    }
}
