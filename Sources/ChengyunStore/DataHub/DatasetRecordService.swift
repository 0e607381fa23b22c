import ChengyunCore
import SQLKit

/// The consumers' API (数据服务): a dataset's records by field values, bounding box and time
/// range, a page at a time by record key, or every match streamed a page at a time.
public struct DatasetRecordService: Sendable {
    let platform: Platform
    let pipelines = DatasetPipelineRepository()
    public static let maxPage = 1000

    public init(platform: Platform) { self.platform = platform }

    /// A query as the caller writes it: field values as text, converted by the fields' types.
    public struct Query: Sendable {
        public var equals: [String: String]
        public var bbox: [Double]?
        public var from: Int64?
        public var to: Int64?
        public var afterKey: String?
        public var limit: Int

        public init(
            equals: [String: String] = [:], bbox: [Double]? = nil, from: Int64? = nil, to: Int64? = nil,
            afterKey: String? = nil, limit: Int = 100
        ) {
            (self.equals, self.bbox, self.from, self.to) = (equals, bbox, from, to)
            (self.afterKey, self.limit) = (afterKey, limit)
        }
    }

    public struct RecordPage: Sendable {
        public var fields: [DatasetField]
        public var records: [[FieldValue]]
        /// The last record's key when there may be more.
        public var nextKey: String?
    }

    /// What a caller reads of a dataset: the fields open to them (a grant's alone, by a grant),
    /// whether it has records yet, and the grant they read by, if they do.
    struct Readable: Sendable {
        var dataset: Dataset
        var fields: [DatasetField]
        var loaded: Bool
        var grant: AccessApplication?
        /// Whether a read without a grant is logged (`DatasetStanding.logsReadsWithoutGrant`).
        var logged = false

        var table: DatasetTable { DatasetTable(datasetId: dataset.id, fields: fields) }
    }

    /// A dataset whose records the caller may read: its owner and the centre, everyone where its
    /// sharing allows, and otherwise a consumer holding a grant in force (whose reads `admit`
    /// meters once their filters are checked).
    /// `service`: whether a service (called through the gateway) is wanted rather than data.
    func readable(_ code: String, by actor: Principal?, service: Bool = false) async throws -> Readable {
        try await platform.dataCatalog.installPlatformDatasets()
        return try await platform.pool.read { db in
            let catalog = platform.dataCatalog
            let dataset: Dataset
            if let actor {
                dataset = try await catalog.visible(code, to: actor, on: db)
            } else {
                dataset = try await catalog.published(codeOrId: code)
            }
            // A grant's key always reads by its grant (its fields, metered); others by the dataset's
            // sharing first, then by a grant their department holds.
            var grant: AccessApplication?
            if let actor, actor.kind == .key, actor.grantId != nil {
                grant = try await platform.exchange.grant(for: actor, on: dataset, on: db)
            }
            if grant == nil,
                !DatasetStanding.mayReadRecords(
                    of: dataset, standing: catalog.standing(of: actor, over: dataset), isStaff: actor?.kind == .staff)
            {
                guard let actor, let found = try await platform.exchange.grant(for: actor, on: dataset, on: db) else {
                    throw DomainError(
                        .forbidden, code: "not_shared_with_you",
                        "This dataset is shared on conditions: its owner, the operation centre and consumers whose access application was approved read its records."
                    )
                }
                grant = found
            }
            guard dataset.origin == .registered else {
                throw DomainError(
                    .conflict, code: "platform_dataset",
                    "The platform's own data is read through its own API (cases, devices, alarms …).")
            }
            guard (dataset.service != nil) == service else {
                throw service
                    ? DomainError(.conflict, code: "not_a_service", "\(code) is data: read its records.")
                    : DomainError(
                        .conflict, code: "is_service",
                        "\(code) is a service: call it at /api/v1/services/\(code)/call/.")
            }
            let granted = grant.map { Set($0.fields) }
            return Readable(
                dataset: dataset, fields: dataset.fields.filter { granted?.contains($0.name) ?? true },
                loaded: try await pipelines.table(datasetId: dataset.id, on: db) != nil, grant: grant,
                logged: DatasetStanding.logsReadsWithoutGrant(
                    catalog.standing(of: actor, over: dataset), signedIn: actor != nil))
        }
    }

    /// A read that passed its checks, counted against the caller's grant (if it reads by one) and
    /// logged as `operation`; without a grant, logged unmetered when it is a consumer's.
    func admit(_ readable: Readable, _ query: Query, by actor: Principal?, operation: String) async throws {
        _ = try Self.recordQuery(query, readable)
        guard let actor else { return }
        try await meter(readable, by: actor, operation: operation)
    }

    /// A read counted against the caller's grant (if it reads by one: refused when the grant is out
    /// of requests) and logged as `operation`; without a grant, logged unmetered when it is a
    /// consumer's (the record queries, and record feeds' batches and pages).
    func meter(_ readable: Readable, by actor: Principal, operation: String) async throws {
        if let grant = readable.grant {
            try await platform.exchange.admit(grant, by: actor, operation: operation)
        } else if readable.logged {
            await platform.exchange.logUnmetered(datasetId: readable.dataset.id, by: actor, operation: operation)
        }
    }

    /// One page of records.
    public func page(code: String, _ query: Query, by actor: Principal?) async throws -> RecordPage {
        let readable = try await readable(code, by: actor)
        try await admit(readable, query, by: actor, operation: "records")
        return try await page(readable, query)
    }

    func page(_ readable: Readable, _ query: Query) async throws -> RecordPage {
        let limit = min(max(query.limit, 1), Self.maxPage)
        guard readable.loaded else { return RecordPage(fields: readable.fields, records: [], nextKey: nil) }
        var recordQuery = try Self.recordQuery(query, readable)
        recordQuery.limit = limit
        let rows = try await platform.pool.read { try await readable.table.records(recordQuery, on: $0) }
        return RecordPage(
            fields: readable.fields, records: rows.map(\.values), nextKey: rows.count == limit ? rows.last?.key : nil)
    }

    /// A window of records by position and how many match (CKAN's `datastore_search`).
    public func window(code: String, _ query: Query, offset: Int, by actor: Principal?) async throws
        -> (total: Int, fields: [DatasetField], records: [[FieldValue]])
    {
        let readable = try await readable(code, by: actor)
        try await admit(readable, query, by: actor, operation: "window")
        guard readable.loaded else { return (0, readable.fields, []) }
        var recordQuery = try Self.recordQuery(query, readable)
        (recordQuery.offset, recordQuery.limit) = (max(0, offset), min(max(query.limit, 0), Self.maxPage))
        return try await platform.pool.read { db in
            let total = try await readable.table.count(recordQuery, on: db)
            let rows = recordQuery.limit == 0 ? [] : try await readable.table.records(recordQuery, on: db)
            return (total, readable.fields, rows.map(\.values))
        }
    }

    /// An export of every matching record (no cap), with access and the filters checked before
    /// it starts — so a refusal is an error, not a cut stream. A grant's export is one request.
    public func export(code: String, _ query: Query, by actor: Principal?) async throws -> Export {
        let readable = try await readable(code, by: actor)
        try await admit(readable, query, by: actor, operation: "export")
        return Export(service: self, readable: readable, query: query)
    }

    public struct Export: Sendable {
        let service: DatasetRecordService
        let readable: Readable
        let query: Query

        /// Hands every matching record to `body`, a page at a time.
        public func forEach(_ body: ([DatasetField], [[FieldValue]]) async throws -> Void) async throws {
            var next = query
            next.limit = DatasetRecordService.maxPage
            while true {
                let page = try await service.page(readable, next)
                try await body(page.fields, page.records)
                guard let key = page.nextKey else { return }
                next.afterKey = key
            }
        }
    }

    static func recordQuery(_ query: Query, _ readable: Readable) throws -> RecordQuery {
        let fields = readable.fields
        var validator = Validator()
        // A box and a time range work on the dataset's first position and date-time fields: a
        // reader who is not granted those is refused them, not answered on other fields.
        let first = { (type: FieldType) in readable.dataset.fields.first { $0.type == type }?.name }
        let granted = Set(fields.map(\.name))
        if query.bbox != nil {
            validator.check(
                [first(.lon), first(.lat)].allSatisfy { $0.map(granted.contains) ?? true }, "bbox", "not_granted",
                "The position fields are not among the fields you read.")
        }
        if query.from != nil || query.to != nil {
            validator.check(
                first(.datetime).map(granted.contains) ?? true, "from", "not_granted",
                "The date-time field is not among the fields you read.")
        }
        var equals: [(DatasetField, FieldValue)] = []
        for (name, text) in query.equals.sorted(by: { $0.key < $1.key }) {
            guard let field = fields.first(where: { $0.name == name }) else {
                validator.add(.init(field: name, code: "unknown_field", message: "The dataset has no field \(name)."))
                continue
            }
            switch FieldValue.parse(text, as: field.type) {
            case .success(.null):
                validator.add(.init(field: name, code: "invalid_filter", message: "A filter needs a value."))
            case .success(let value): equals.append((field, value))
            case .failure(let reason):
                validator.add(.init(field: name, code: "invalid_filter", message: "\(text): \(reason.rawValue)"))
            }
        }
        if let box = query.bbox {
            validator.check(
                box.count == 4 && box.allSatisfy(\.isFinite) && box[0] <= box[2] && box[1] <= box[3], "bbox",
                "invalid_bbox", "west,south,east,north with west ≤ east and south ≤ north.")
            validator.check(
                fields.contains { $0.type == .lon } && fields.contains { $0.type == .lat }, "bbox", "no_position",
                "The dataset has no longitude and latitude fields.")
        }
        validator.check(
            (query.from == nil && query.to == nil) || fields.contains { $0.type == .datetime }, "from", "no_time",
            "The dataset has no date-time field to filter by.")
        try validator.finish()
        return RecordQuery(
            equals: equals, bbox: query.bbox, from: query.from, to: query.to, afterKey: query.afterKey,
            limit: query.limit)
    }

    /// The loads of a dataset, newest first. Refusals quote the source's values, so only its
    /// owner and the centre see them; others see the counts.
    public func loads(code: String, by actor: Principal) async throws -> [DatasetLoad] {
        try await platform.pool.read { db in
            let dataset = try await platform.dataCatalog.visible(code, to: actor, on: db)
            let loads = try await pipelines.loads(datasetId: dataset.id, code: code, limit: 50, on: db)
            guard platform.dataCatalog.standing(of: actor, over: dataset).isEmpty else { return loads }
            return loads.map { load in
                var counted = load
                (counted.report.refusals, counted.report.unmappedColumns) = ([], [])
                return counted
            }
        }
    }
}
