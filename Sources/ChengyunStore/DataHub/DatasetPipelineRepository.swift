import ChengyunCore
import Foundation
import SQLKit

/// Each dataset's pipeline, where its records are, and its loads' reports.
struct DatasetPipelineRepository: Sendable {
    struct TableInfo: Sendable {
        var name: String
        var columns: [String: FieldType]
        var version: Int
    }

    func find(datasetId: String, on db: any SQLDatabase) async throws -> CleaningPipeline? {
        let row = try await db.select().column("document").from("dataset_pipelines").where(
            "dataset_id", .equal, datasetId
        )
        .first()
        return try row.map {
            try JSONDecoder().decode(
                CleaningPipeline.self, from: Data(try $0.decode(column: "document", as: String.self).utf8))
        }
    }

    func save(
        _ pipeline: CleaningPipeline, datasetId: String, by actorId: String, at now: Int64, on db: any SQLDatabase
    )
        async throws
    {
        let document = try Self.json(pipeline)
        try await db.raw(
            """
            INSERT INTO dataset_pipelines (dataset_id, document, updated_by, updated_at)
            VALUES (\(bind: datasetId), \(bind: document), \(bind: actorId), \(bind: now))
            ON CONFLICT (dataset_id) DO UPDATE SET document = excluded.document, updated_by = excluded.updated_by,
                updated_at = excluded.updated_at
            """
        ).run()
    }

    func table(datasetId: String, on db: any SQLDatabase) async throws -> TableInfo? {
        guard
            let row = try await db.select().columns("table_name", "columns", "version").from("dataset_tables")
                .where("dataset_id", .equal, datasetId).first()
        else { return nil }
        return TableInfo(
            name: try row.decode(column: "table_name", as: String.self),
            columns: try JSONDecoder().decode(
                [String: FieldType].self, from: Data(try row.decode(column: "columns", as: String.self).utf8)),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// A committed load: its report, and the table's columns and version after it.
    func recordLoad(
        _ load: DatasetLoad, datasetId: String, table: String, columns: [String: FieldType], on db: any SQLDatabase
    ) async throws {
        let r = load.report
        try await db.raw(
            """
            INSERT INTO dataset_loads (id, dataset_id, version, source, format, rows_in, kept, corrected, refused, report,
                loaded_by, started_at, finished_at)
            VALUES (\(bind: load.id ?? ""), \(bind: datasetId), \(bind: load.version ?? 0), \(bind: load.source.rawValue),
                \(bind: load.format.rawValue), \(bind: r.rowsIn), \(bind: r.kept), \(bind: r.corrected), \(bind: r.refused),
                \(bind: try Self.json(r)), \(bind: load.loadedBy), \(bind: load.startedAt), \(bind: load.finishedAt))
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO dataset_tables (dataset_id, table_name, columns, version, updated_at)
            VALUES (\(bind: datasetId), \(bind: table), \(bind: try Self.json(columns)), \(bind: load.version ?? 0),
                \(bind: load.finishedAt))
            ON CONFLICT (dataset_id) DO UPDATE SET columns = excluded.columns, version = excluded.version,
                updated_at = excluded.updated_at
            """
        ).run()
    }

    /// A dataset's loads, newest first.
    func loads(datasetId: String, code: String, limit: Int, on db: any SQLDatabase) async throws -> [DatasetLoad] {
        try await db.select().columns(
            "id", "version", "source", "format", "report", "loaded_by", "started_at", "finished_at"
        )
        .from("dataset_loads").where("dataset_id", .equal, datasetId).orderBy("version", .descending).limit(limit)
        .all().map { row in
            DatasetLoad(
                id: try row.decode(column: "id", as: String.self), datasetCode: code,
                version: try row.decode(column: "version", as: Int.self),
                source: LoadSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .upload,
                format: LoadFormat(rawValue: try row.decode(column: "format", as: String.self)) ?? .csv,
                report: try JSONDecoder().decode(
                    LoadReport.self, from: Data(try row.decode(column: "report", as: String.self).utf8)),
                loadedBy: try row.decode(column: "loaded_by", as: String.self),
                startedAt: try row.decode(column: "started_at", as: Int64.self),
                finishedAt: try row.decode(column: "finished_at", as: Int64.self))
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
