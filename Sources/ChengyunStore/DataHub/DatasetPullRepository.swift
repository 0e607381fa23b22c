import ChengyunCore
import SQLKit

/// Scheduled pulls in the database. A run claims its pull by moving `next_run_at` on from the
/// value it read, so two nodes (or a schedule and a person's "pull now") never run it at once.
struct DatasetPullRepository: Sendable {
    func save(_ pull: DatasetPull, on db: any SQLDatabase) async throws {
        try await db.delete(from: "dataset_pulls").where("dataset_id", .equal, pull.datasetId).run()
        try await db.insert(into: "dataset_pulls").model(pull, with: rowEncoder).run()
    }

    func find(datasetId: String, on db: any SQLDatabase) async throws -> DatasetPull? {
        try await db.select().column("*").from("dataset_pulls").where("dataset_id", .equal, datasetId)
            .first(decoding: DatasetPull.self, with: rowDecoder)
    }

    func delete(datasetId: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "dataset_pulls").where("dataset_id", .equal, datasetId).run()
    }

    func due(at now: Int64, limit: Int, on db: any SQLDatabase) async throws -> [DatasetPull] {
        try await db.select().column("*").from("dataset_pulls").where("next_run_at", .lessThanOrEqual, now)
            .orderBy("next_run_at").limit(limit).all(decoding: DatasetPull.self, with: rowDecoder)
    }

    /// Takes the pull for a run until `until`; false when another took it first.
    func claim(_ pull: DatasetPull, until: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.update("dataset_pulls").set("next_run_at", to: until)
            .where("dataset_id", .equal, pull.datasetId).where("next_run_at", .equal, pull.nextRunAt)
            .returning("dataset_id").all().isEmpty
    }

    /// Writes a run's outcome over the claim, unless the pull was changed or removed meanwhile.
    func finish(_ pull: DatasetPull, claimedUntil: Int64, on db: any SQLDatabase) async throws {
        try await db.update("dataset_pulls").set(model: pull, with: rowEncoder)
            .where("dataset_id", .equal, pull.datasetId).where("next_run_at", .equal, claimedUntil)
            .where("updated_at", .lessThanOrEqual, pull.updatedAt).run()
    }
}
