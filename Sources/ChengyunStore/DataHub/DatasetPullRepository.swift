import ChengyunCore
import SQLKit

/// Scheduled pulls in the database. A run claims its pull (`claimed_until`) and finishes under
/// that claim: two nodes, or the schedule and a person's "pull now", never run one at once. A pull
/// set again or removed meanwhile starts afresh; the old run's outcome is not written over it
/// (and a load it made rolls back).
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
            .where { $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThan, now) }
            .orderBy("next_run_at").limit(limit).all(decoding: DatasetPull.self, with: rowDecoder)
    }

    /// Takes the pull for a run until `until`; false while another run holds it, or, for a
    /// scheduled run (`due`), once another run has moved it on.
    func claim(datasetId: String, at now: Int64, until: Int64, due: Bool, on db: any SQLDatabase) async throws -> Bool {
        let update = db.update("dataset_pulls").set("claimed_until", to: until)
            .where("dataset_id", .equal, datasetId)
            .where { $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThan, now) }
        if due { update.where("next_run_at", .lessThanOrEqual, now) }
        return try await !update.returning("dataset_id").all().isEmpty
    }

    /// Writes a run's outcome and lets go of the claim; false when the claim was lost (the pull
    /// was set again, removed, or the claim ran out and another run took it).
    func finish(_ pull: DatasetPull, claimedUntil: Int64, on db: any SQLDatabase) async throws -> Bool {
        var done = pull
        done.claimedUntil = nil
        return try await !db.update("dataset_pulls").set(model: done, with: rowEncoder)
            .where("dataset_id", .equal, pull.datasetId).where("claimed_until", .equal, claimedUntil)
            .returning("dataset_id").all().isEmpty
    }
}
