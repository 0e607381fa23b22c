import ChengyunCore
import Foundation
import SQLKit

/// A trained model version as administrators see it: when, why, from how many cases, and how it
/// routed the newer cases it had not seen (`DispatchEvaluation`).
public struct DispatchModelVersion: Codable, Sendable, Equatable {
    public var version: Int
    public var trainedAt: Int64
    /// `schedule` or `demand`.
    public var triggerKind: String
    public var trainedBy: String
    public var examples: Int
    public var heldOutCases: Int
    public var accuracy: Double
    public var top3Accuracy: Double
    public var autoPrecision: Double
    public var autoCoverage: Double
    /// The threshold the held-out precision and coverage were measured at.
    public var threshold: Double
    /// How often the matter suggester (`MatterSuggester`, for citizens' plain-language reports)
    /// named the matter of the newer 30 % of filed cases; nil when too few were filed, or trained
    /// before migration 040.
    public var matterAccuracy: Double?
}

/// A dispatcher's choice that differed from the model's best department.
public struct DispatchCorrection: Codable, Sendable, Equatable {
    public var id: String
    public var caseId: String
    public var modelVersion: Int
    public var suggested: String
    public var confidence: Double
    public var chosen: String
    public var dispatcherId: String
    public var correctedAt: Int64
}

/// Model versions, dispatchers' corrections, and the lessons both are learned from.
struct DispatchRepository: Sendable {
    private struct Stored: Codable {
        var version: Int, trainedAt: Int64, triggerKind: String, trainedBy: String, examples: Int, heldOutCases: Int
        var accuracy: Double, top3Accuracy: Double, autoPrecision: Double, autoCoverage: Double, threshold: Double
        var matterAccuracy: Double?
        var model: String
    }

    func insert(_ version: DispatchModelVersion, model: DispatchModel, on db: any SQLDatabase) async throws {
        let body = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
        let v = version
        try await db.insert(into: "dispatch_models").model(
            Stored(
                version: v.version, trainedAt: v.trainedAt, triggerKind: v.triggerKind, trainedBy: v.trainedBy,
                examples: v.examples, heldOutCases: v.heldOutCases, accuracy: v.accuracy, top3Accuracy: v.top3Accuracy,
                autoPrecision: v.autoPrecision, autoCoverage: v.autoCoverage, threshold: v.threshold,
                matterAccuracy: v.matterAccuracy, model: body),
            with: rowEncoder
        ).run()
        // Only the newest bodies are ever read: older versions keep their figures.
        try await db.update("dispatch_models").set("model", to: "").where("version", .lessThanOrEqual, v.version - 10)
            .where("model", .notEqual, "").run()
    }

    func newestVersion(on db: any SQLDatabase) async throws -> Int? {
        try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("version")), as: "v")
            .from("dispatch_models").first()?.decode(column: "v", as: Int?.self) ?? nil
    }

    func model(version: Int, on db: any SQLDatabase) async throws -> DispatchModel? {
        guard
            let body = try await db.select().column("model").from("dispatch_models").where("version", .equal, version)
                .first()?.decode(column: "model", as: String.self)
        else { return nil }
        return try JSONDecoder().decode(DispatchModel.self, from: Data(body.utf8))
    }

    func versions(limit: Int, on db: any SQLDatabase) async throws -> [DispatchModelVersion] {
        try await db.select().columns(
            "version", "trained_at", "trigger_kind", "trained_by", "examples", "held_out_cases", "accuracy",
            "top3_accuracy", "auto_precision", "auto_coverage", "threshold", "matter_accuracy"
        ).from("dispatch_models").orderBy("version", .descending).limit(limit)
            .all(decoding: DispatchModelVersion.self, with: rowDecoder)
    }

    func insert(_ correction: DispatchCorrection, on db: any SQLDatabase) async throws {
        try await db.insert(into: "dispatch_corrections").model(correction, with: rowEncoder).run()
    }

    func corrections(since: Int64, on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("dispatch_corrections")
            .where("corrected_at", .greaterThanOrEqual, since).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func hasLessons(on db: any SQLDatabase) async throws -> Bool {
        try await db.select().column("id").from("cases").where("closed_at", .isNot, SQLLiteral.null).limit(1).first()
            != nil
    }

    /// The matter suggester's lessons: the newest filed cases (a person decided their matter,
    /// correcting a proposal or not), refused and voided ones left out.
    func matterLessons(limit: Int = 50_000, on db: any SQLDatabase) async throws -> [MatterSuggester.Example] {
        try await db.select().columns("description", "kind", "major_code", "minor_code", "filed_at").from("cases")
            .where("filed_at", .isNot, SQLLiteral.null)
            .where("state", .notIn, [CaseState.rejected, .cancelled].map(\.rawValue))
            .orderBy("filed_at", .descending).limit(limit).all().map { row in
                MatterSuggester.Example(
                    text: try row.decode(column: "description", as: String.self),
                    matterCode: MatterCode(
                        kind: try row.decode(column: "kind", as: CaseKind.self),
                        majorCode: try row.decode(column: "major_code", as: String.self),
                        minorCode: try row.decode(column: "minor_code", as: String.self)
                    ).description,
                    at: try row.decode(column: "filed_at", as: Int64.self))
            }
    }

    /// Cases to learn from: every closed one, and every open one a dispatcher corrected (its
    /// department is a person's decision already). Those with no department are skipped.
    func lessons(on db: any SQLDatabase) async throws -> [Case] {
        try await db.select().column("*").from("cases")
            .where("closed_at", .isNot, SQLLiteral.null)
            .orWhere(
                "id", .in,
                SQLGroupExpression(SQLRaw("SELECT case_id FROM dispatch_corrections"))
            )
            .all(decoding: CaseRepository.Row.self, with: rowDecoder).map { try $0.record() }
            .filter { !$0.departmentIds.isEmpty }
    }
}
