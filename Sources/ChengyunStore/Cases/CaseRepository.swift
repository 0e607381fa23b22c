import ChengyunCore
import Foundation
import SQLKit

/// Cases and everything recorded about them.
public struct CaseRepository: Sendable {
    public init() {}

    struct Row: Codable {
        var id: String
        var number: String
        var kind: CaseKind
        var matterId: String
        var matterVersion: Int
        var majorCode: String
        var minorCode: String
        var urgency: Urgency
        var state: CaseState
        var source: CaseSource
        var description: String
        var address: String?
        var lon: Double
        var lat: Double
        var bucketX: Int
        var bucketY: Int
        var bucket: Int
        var gridCellId: String?
        var areaId: String
        var areaPath: String
        var reporterKind: String
        var reporterId: String?
        var reporterName: String?
        var reporterContact: String?
        var departmentIds: String
        var pendingRequest: CaseRequestKind?
        var requestedMinutes: Int?
        var duplicateOf: String?
        var duplicateCount: Int
        var reopenCount: Int
        var reworkCount: Int
        var extensionCount: Int
        var customFields: String
        var stageClock: String?
        var stageDeadline: Int64?
        var caseDeadline: Int64?
        var reportedAt: Int64
        var filedAt: Int64?
        var closedAt: Int64?
        var updatedAt: Int64
        var revision: Int
        var assigneeId: String?

        init(_ c: Case) throws {
            let key = DuplicateRule.buckets.key(of: c.position)
            id = c.id
            number = c.number
            kind = c.kind
            matterId = c.matterId
            matterVersion = c.matterVersion
            majorCode = c.majorCode
            minorCode = c.minorCode
            urgency = c.urgency
            state = c.state
            source = c.source
            description = c.description
            address = c.address
            lon = c.lon
            lat = c.lat
            bucketX = key.x
            bucketY = key.y
            bucket = key.packed
            gridCellId = c.gridCellId
            areaId = c.areaId
            areaPath = c.areaPath
            reporterKind = c.reporterKind
            reporterId = c.reporterId
            reporterName = c.reporterName
            reporterContact = c.reporterContact
            departmentIds = c.departmentIds.isEmpty ? "" : "," + c.departmentIds.joined(separator: ",") + ","
            pendingRequest = c.pendingRequest
            requestedMinutes = c.requestedMinutes
            duplicateOf = c.duplicateOf
            duplicateCount = c.duplicateCount
            reopenCount = c.reopenCount
            reworkCount = c.reworkCount
            extensionCount = c.extensionCount
            customFields = String(decoding: try JSONEncoder().encode(c.customFields), as: UTF8.self)
            stageClock = try c.stageClock.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
            stageDeadline = c.stageDeadline
            caseDeadline = c.caseDeadline
            reportedAt = c.reportedAt
            filedAt = c.filedAt
            closedAt = c.closedAt
            updatedAt = c.updatedAt
            revision = c.revision
            assigneeId = c.assigneeId
        }

        func record() throws -> Case {
            var record = Case(
                id: id, number: number, kind: kind, matterId: matterId, matterVersion: matterVersion,
                majorCode: majorCode,
                minorCode: minorCode, urgency: urgency, state: state, source: source, description: description,
                address: address, lon: lon, lat: lat, gridCellId: gridCellId, areaId: areaId, areaPath: areaPath,
                reporterKind: reporterKind, reporterId: reporterId, reporterName: reporterName,
                reporterContact: reporterContact,
                departmentIds: departmentIds.split(separator: ",").map(String.init),
                pendingRequest: pendingRequest, requestedMinutes: requestedMinutes, duplicateOf: duplicateOf,
                duplicateCount: duplicateCount, reopenCount: reopenCount, reworkCount: reworkCount,
                extensionCount: extensionCount,
                customFields: try JSONDecoder().decode([String: String].self, from: Data(customFields.utf8)),
                stageClock: try stageClock.map { try JSONDecoder().decode(StageClock.self, from: Data($0.utf8)) },
                stageDeadline: stageDeadline, caseDeadline: caseDeadline, reportedAt: reportedAt, filedAt: filedAt,
                closedAt: closedAt, updatedAt: updatedAt, revision: revision)
            record.assigneeId = assigneeId
            return record
        }
    }

    public func insert(_ record: Case, on db: any SQLDatabase) async throws {
        try await db.insert(into: "cases").model(try Row(record), with: rowEncoder).run()
    }

    /// Writes the case if nobody changed it since `previous` was read (its revision), setting
    /// only the columns that differ from `previous`.
    public func update(_ record: Case, from previous: Case, on db: any SQLDatabase) async throws {
        var query = db.update("cases")
        for (column, value) in try changedColumns(try Row(record), from: try Row(previous)) {
            query = query.set(SQLIdentifier(column), to: value)
        }
        let changed = try await query.where("id", .equal, record.id).where("revision", .equal, previous.revision)
            .returning("id").all()
        if changed.isEmpty {
            throw DomainError(
                .conflict, code: .concurrentUpdate, "Someone else changed this case just now; reload and try again.")
        }
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> Case? {
        try await db.select().column("*").from("cases").where("id", .equal, id)
            .first(decoding: Row.self, with: rowDecoder)?.record()
    }

    public func find(number: String, on db: any SQLDatabase) async throws -> Case? {
        try await db.select().column("*").from("cases").where("number", .equal, number)
            .first(decoding: Row.self, with: rowDecoder)?.record()
    }

    /// A case by its id or, failing that, its number (people quote numbers, links carry ids).
    public func find(idOrNumber key: String, on db: any SQLDatabase) async throws -> Case? {
        if let found = try await find(id: key, on: db) { return found }
        return try await find(number: key, on: db)
    }

    /// The next number of a daily sequence. Runs in the caller's transaction, so a case that is
    /// not saved does not use up a number: the sequence has no gaps.
    public func nextSequence(prefix: String, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw(
            """
            INSERT INTO case_number_sequences (prefix, last) VALUES (\(bind: prefix), 1)
            ON CONFLICT (prefix) DO UPDATE SET last = case_number_sequences.last + 1
            RETURNING last
            """
        ).first()
        guard let row else { throw DomainError(.conflict, code: "sequence_failed", "No case number could be drawn.") }
        return try row.decode(column: "last", as: Int.self)
    }

    /// Open cases of one minor category near a point, as much as the duplicate rule reads: seeks
    /// the few location buckets around it and, in each, only the reports of the time window.
    public func nearbyOpen(
        kind: CaseKind, majorCode: String, minorCode: String, keys: [SpatialBuckets.Key],
        reportedAfter: Int64, on db: any SQLDatabase
    ) async throws -> [DuplicateCandidate] {
        guard !keys.isEmpty else { return [] }
        let rows = try await db.select()
            .columns("id", "kind", "major_code", "minor_code", "state", "lon", "lat", "reported_at").from("cases")
            .where("kind", .equal, kind.rawValue).where("major_code", .equal, majorCode)
            .where("minor_code", .equal, minorCode)
            .where("bucket", .in, keys.map(\.packed))
            .where("reported_at", .greaterThanOrEqual, reportedAfter)
            .where("state", .notIn, [CaseState.closed, .rejected, .cancelled, .merged].map(\.rawValue))
            .orderBy("reported_at").all()
        return try rows.map { row in
            DuplicateCandidate(
                id: try row.decode(column: "id", as: String.self),
                kind: try row.decode(column: "kind", as: CaseKind.self),
                majorCode: try row.decode(column: "major_code", as: String.self),
                minorCode: try row.decode(column: "minor_code", as: String.self),
                state: try row.decode(column: "state", as: CaseState.self),
                position: GeoPoint(
                    lon: try row.decode(column: "lon", as: Double.self),
                    lat: try row.decode(column: "lat", as: Double.self)),
                reportedAt: try row.decode(column: "reported_at", as: Int64.self))
        }
    }

    /// Whole cases by id, in the order of `ids` (those that exist).
    public func find(ids: [String], on db: any SQLDatabase) async throws -> [Case] {
        guard !ids.isEmpty else { return [] }
        let found = try await db.select().column("*").from("cases").where("id", .in, ids)
            .all(decoding: Row.self, with: rowDecoder).map { try $0.record() }
        let byId = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byId[$0] }
    }

    // MARK: Lists

    public struct Filter: Sendable {
        public var scopePath: String?
        public var states: [CaseState] = []
        public var matterId: String?
        /// Cases in this area or below it.
        public var areaId: String?
        public var departmentId: String?
        public var source: CaseSource?
        public var overdueAt: Int64?
        public var reportedFrom: Int64?
        public var reportedTo: Int64?
        public var text: String?
        public var pendingRequestOnly = false

        public init(scopePath: String?) { self.scopePath = scopePath }
    }

    func apply(_ filter: Filter, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query.inScope(filter.scopePath)
        if !filter.states.isEmpty { query = query.where("state", .in, filter.states.map(\.rawValue)) }
        if let matterId = filter.matterId { query = query.where("matter_id", .equal, matterId) }
        // A case's path holds the ids of every area above it.
        if let areaId = filter.areaId { query = query.where("area_path", .like, "%/\(areaId)/%") }
        if let departmentId = filter.departmentId {
            query = query.where("department_ids", .like, "%,\(departmentId),%")
        }
        if let source = filter.source { query = query.where("source", .equal, source.rawValue) }
        if let overdueAt = filter.overdueAt { query = query.where("stage_deadline", .lessThan, overdueAt) }
        if let from = filter.reportedFrom { query = query.where("reported_at", .greaterThanOrEqual, from) }
        if let to = filter.reportedTo { query = query.where("reported_at", .lessThan, to) }
        if filter.pendingRequestOnly { query = query.where("pending_request", .isNot, SQLLiteral.null) }
        if let text = filter.text, !text.isEmpty {
            let pattern =
                "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            query = query.where {
                $0.where("description", .like, pattern).orWhere("number", .like, pattern).orWhere(
                    "address", .like, pattern)
            }
        }
        return query
    }

    public func list(_ filter: Filter, page: PageRequest, on db: any SQLDatabase) async throws -> Page<Case> {
        let query = apply(filter, to: db.select().column("*").from("cases"))
        let rows = try await page.apply(to: query).all(decoding: Row.self, with: rowDecoder)
        return page.page(try rows.map { try $0.record() }) { $0.id }
    }

    /// A work queue: most urgent first, then the nearest deadline.
    public func queue(_ filter: Filter, limit: Int, on db: any SQLDatabase) async throws -> [Case] {
        let query = apply(filter, to: db.select().column("*").from("cases"))
            .orderBy(SQLRaw("CASE WHEN urgency = 'urgent' THEN 0 ELSE 1 END"))
            .orderBy(SQLRaw("COALESCE(stage_deadline, 9000000000000000)"))
            .orderBy("id").limit(limit)
        return try await query.all(decoding: Row.self, with: rowDecoder).map { try $0.record() }
    }
}
