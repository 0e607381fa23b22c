import ChengyunCore
import Foundation
import SQLKit

/// Aggregation (数据汇聚): a dataset's owner declares its cleaning pipeline and loads records —
/// a file, or a system's push — through it. A load streams, upserts by the record key, becomes
/// the dataset's next version and leaves its quality report, all in one transaction: a load that
/// fails changes nothing. The bytes are spooled to disk first, so the transaction never waits
/// on the network. A dry run reports and shows a sample, and writes nothing.
public struct DatasetLoadService: Sendable {
    let platform: Platform
    let pipelines = DatasetPipelineRepository()
    static let batch = 2_000
    static let sampleSize = 20

    public init(platform: Platform) { self.platform = platform }

    public func pipeline(code: String, by actor: Principal) async throws -> CleaningPipeline {
        try await platform.pool.read { db in
            let dataset = try await platform.dataCatalog.visible(code, to: actor, on: db)
            // Code lists and mappings describe the source: its owner's and the centre's to read.
            guard !platform.dataCatalog.standing(of: actor, over: dataset).isEmpty else {
                throw DomainError(
                    .forbidden, code: "not_dataset_owner", "A dataset's pipeline is its owner's and the centre's.")
            }
            return try await pipelines.find(datasetId: dataset.id, on: db) ?? CleaningPipeline()
        }
    }

    public func setPipeline(code: String, _ input: PipelineInput, by actor: Principal) async throws
        -> CleaningPipeline
    {
        let pipeline = input.pipeline
        return try await platform.write(
            actor, "dataset.pipeline", target: "dataset",
            summary: { _ in (code, pipeline.steps.map(\.op).joined(separator: ", ")) }
        ) { db in
            let dataset = try await owned(code, by: actor, on: db)
            let issues = pipeline.issues(for: dataset.fields)
            if !issues.isEmpty { throw DomainError.validation(issues) }
            try await pipelines.save(pipeline, datasetId: dataset.id, by: actor.id, at: platform.now(), on: db)
            return pipeline
        }
    }

    /// Loads records from `chunks` (the bytes as they arrive) in `format`, read in `charset`.
    /// `committing`, when given, runs in the load's transaction after it is written (a pull records
    /// what it loaded there, so a load never commits without it); throwing rolls the load back.
    public func load<Chunks: AsyncSequence>(
        code: String, format: LoadFormat, charset: SourceCharset = .utf8, source: LoadSource, dryRun: Bool,
        chunks: Chunks, by actor: Principal,
        committing: (@Sendable (DatasetLoad, any SQLDatabase) async throws -> Void)? = nil
    ) async throws -> DatasetLoad where Chunks.Element == [UInt8] {
        let started = platform.now()
        let (dataset, pipeline) = try await platform.pool.read { db in
            let dataset = try await owned(code, by: actor, on: db)
            return (dataset, try await pipelines.find(datasetId: dataset.id, on: db) ?? CleaningPipeline())
        }
        var cleaner = try RecordCleaner(
            fields: dataset.fields, pipeline: pipeline, references: try await references(for: pipeline))
        var load = DatasetLoad(
            datasetCode: code, source: source, format: format, report: LoadReport(), loadedBy: actor.id,
            startedAt: started, finishedAt: started)
        if dryRun {
            var sample: [[String: String]] = []
            try await read(chunks, format, charset, &cleaner, &load.report) { records in
                for record in records where sample.count < Self.sampleSize {
                    sample.append(Self.named(record, dataset.fields))
                }
            }
            load.sample = sample
            load.finishedAt = platform.now()
            return load
        }
        let spool = try await LoadSpool.write(chunks, directory: LoadSpool.directory(platform.settings))
        defer { spool.remove() }
        let file = try spool.chunks()
        // The cleaning runs on a task of its own, a batch or two ahead of the transaction's writes:
        // two cores share a load's work, and the transaction holds the writer for less time.
        // It runs at high priority, as the writer does: the writer waits on it.
        let handOff = BatchHandOff<[CleanRecord]>()
        let cleaning = Task(priority: .high) {
            [cleaner] () async throws -> LoadReport in
            var (cleaner, report) = (cleaner, LoadReport())
            do {
                try await read(file, format, charset, &cleaner, &report) { try await handOff.put($0) }
                // A cancelled read may end early as if the file had: never a whole load then.
                try Task.checkCancellation()
            } catch {
                handOff.finish(error)
                throw error
            }
            handOff.finish()
            return report
        }
        do {
            let (load, madeWork) = try await written(
                dataset, load, from: handOff, report: cleaning, by: actor, committing: committing)
            // Committed: its deliveries and feed changes go now rather than at the loop's next look.
            if madeWork { platform.webhookWork.raise() }
            return load
        } catch {
            // The cleaning stops, and has stopped, before the spool it reads is removed.
            handOff.close()
            cleaning.cancel()
            _ = await cleaning.result
            throw error
        }
    }

    /// The load's transaction: the records taken from `handOff` as the cleaning hands them on,
    /// then the version, its report (the cleaning's result), the audit entry and the deliveries;
    /// with whether it wrote deliveries or record-feed changes (webhook work).
    private func written(
        _ dataset: Dataset, _ load: DatasetLoad, from handOff: BatchHandOff<[CleanRecord]>,
        report cleaning: Task<LoadReport, any Error>, by actor: Principal,
        committing: (@Sendable (DatasetLoad, any SQLDatabase) async throws -> Void)?
    ) async throws -> (DatasetLoad, madeWork: Bool) {
        let (code, format) = (dataset.code, load.format)
        var load = load
        return try await platform.pool.transaction { db in
            // Loads of one dataset take turns: the version numbers and the table follow each other.
            let current = try await owned(code, by: actor, on: db, locking: true)
            guard current.fields == dataset.fields else {
                throw DomainError(.conflict, code: "concurrent_update", "The dataset changed meanwhile; load again.")
            }
            let table = DatasetTable(datasetId: dataset.id, fields: dataset.fields)
            let known = try await pipelines.table(datasetId: dataset.id, on: db)
            // A first load on PostgreSQL fills its new table before indexing it.
            let deferred = known == nil && DatasetTable.indexesAfterFirstLoad(db)
            let columns = try await table.ensure(existing: known?.columns, indexing: !deferred, on: db)
            let version = (known?.version ?? 0) + 1
            // A followed dataset's load writes its records to the feed too (`RecordFeed`); the
            // dataset's lock makes a new follower wait for it, then start after it.
            let followed = try await RecordFeedRepository().followed(datasetCode: code, on: db)
            var ordinal: Int64 = 1
            let changedAt = platform.now()
            while let records = try await handOff.take() {
                try await table.upsert(records, version: Int64(version), on: db)
                guard followed else { continue }
                try await RecordFeedRepository().append(
                    keys: records.map(\.key), datasetId: dataset.id, version: Int64(version), first: ordinal,
                    at: changedAt, on: db)
                ordinal += Int64(records.count)
            }
            if deferred { try await table.createIndexes(on: db) }
            load.report = try await cleaning.value
            load.id = Identifier.make(at: load.startedAt)
            load.version = version
            load.finishedAt = platform.now()
            try await pipelines.recordLoad(load, datasetId: dataset.id, table: table.name, columns: columns, on: db)
            let r = load.report
            try await platform.auditLog.append(
                .init(
                    actor: actor, action: "dataset.load", targetType: "dataset", targetId: code,
                    summary:
                        "v\(version) \(format.rawValue): \(r.rowsIn) in, \(r.kept) kept, \(r.corrected) corrected, \(r.refused) refused"
                ), at: load.finishedAt, on: db)
            let delivered = try await SubscriptionOutbox().datasetLoaded(
                current, load: load, at: load.finishedAt, on: db)
            try await committing?(load, db)
            return (load, followed || delivered)
        }
    }

    /// Parses the chunks, cleans each record, and hands the kept ones on in batches.
    private func read<Chunks: AsyncSequence>(
        _ chunks: Chunks, _ format: LoadFormat, _ charset: SourceCharset, _ cleaner: inout RecordCleaner,
        _ report: inout LoadReport,
        _ keep: ([CleanRecord]) async throws -> Void
    ) async throws where Chunks.Element == [UInt8] {
        var batch: [CleanRecord] = []
        batch.reserveCapacity(Self.batch)
        var pending: [Result<CleanRecord, CleaningRefusal>] = []
        var header: [String]?
        var csv = CSVRowReader()
        var splitter = JSONElementSplitter(
            format == .ndjson ? .lines : format == .geojson ? .featureCollection : .array)
        var unmapped = Set<String>()
        do {
            for try await chunk in TranscodedChunks(chunks, charset: charset) {
                if format == .csv {
                    try csv.feed(chunk) { cells, line in
                        guard header != nil else {
                            header = cells
                            report.unmappedColumns = cleaner.header(cells)
                            return
                        }
                        pending.append(cleaner.clean(cells: cells, line: line))
                    }
                } else {
                    try splitter.feed(chunk) { bytes, line in
                        guard let values = JSONRecord.values(bytes, feature: format == .geojson) else {
                            pending.append(
                                .failure(.init(line: line, field: nil, reason: .malformed, detail: "not an object")))
                            return
                        }
                        if unmapped.count < 50 { unmapped.formUnion(cleaner.unmapped(values.keys)) }
                        pending.append(cleaner.clean(named: values, line: line))
                    }
                }
                for outcome in pending {
                    report.count(outcome)
                    if case .success(let record) = outcome { batch.append(record) }
                }
                pending.removeAll(keepingCapacity: true)
                if batch.count >= Self.batch {
                    try await keep(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if format == .csv {
                try csv.finish { cells, line in
                    if header == nil {
                        header = cells
                        report.unmappedColumns = cleaner.header(cells)
                    } else {
                        pending.append(cleaner.clean(cells: cells, line: line))
                    }
                }
            } else {
                try splitter.finish()
                report.unmappedColumns = unmapped.sorted()
            }
        } catch let error as SourceError {
            throw DomainError(.invalid, code: error.code, error.message)
        }
        for outcome in pending {
            report.count(outcome)
            if case .success(let record) = outcome { batch.append(record) }
        }
        if !batch.isEmpty { try await keep(batch) }
    }

    /// The codes `exists` steps check against, read once per load.
    private func references(for pipeline: CleaningPipeline) async throws -> [CleaningStep.Reference: Set<String>] {
        var wanted = Set<CleaningStep.Reference>()
        for case .exists(_, let reference) in pipeline.steps { wanted.insert(reference) }
        guard !wanted.isEmpty else { return [:] }
        return try await platform.pool.read { db in
            var codes: [CleaningStep.Reference: Set<String>] = [:]
            for reference in wanted {
                let table = reference == .gridCell ? "grid_cells" : "areas"
                codes[reference] = Set(
                    try await db.select().column("code").from(table).all().map {
                        try $0.decode(column: "code", as: String.self)
                    })
            }
            return codes
        }
    }

    static func named(_ record: CleanRecord, _ fields: [DatasetField]) -> [String: String] {
        var values: [String: String] = [:]
        for (field, value) in zip(fields, record.values) {
            switch (field.type, value) {
            case (.datetime, .integer(let millis)): values[field.name] = EpochMillis.iso8601(millis)
            case (.boolean, .integer(let flag)): values[field.name] = flag == 0 ? "false" : "true"
            default: values[field.name] = value.text
            }
        }
        return values
    }
}
