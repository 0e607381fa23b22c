import ChengyunCore
import Foundation
import SQLKit
import Synchronization

/// What the dispatcher sees for a case: the routing rule that covers it (which wins), the learned
/// model's top three with their reasons, and whether the best would be sent at once.
public struct DispatchAdvice: Codable, Sendable, Equatable {
    public var caseId: String
    public var rule: RoutingRule?
    /// The model version asked; nil before the first training.
    public var modelVersion: Int?
    public var suggestions: [DispatchModel.Suggestion]
    public var threshold: Double
    /// No rule, automatic dispatch on, and the best suggestion at or above the threshold.
    public var wouldAutoDispatch: Bool
}

/// Learned dispatch (智能分拨) as the platform runs it: trains versioned models on its own closed
/// cases (and dispatchers' corrections) with their held-out figures, answers the dispatcher with
/// the top three, dispatches a filed case on the model's word where no routing rule covers it, and
/// records every dispatcher's choice that differed from the model as a lesson.
public struct DispatchService: Sendable {
    let platform: Platform
    let repository = DispatchRepository()
    /// The held-out replay retrains weekly over at most this many of the newest lessons.
    static let heldOutWindow = 50_000
    static let week: Int64 = 7 * 86_400_000

    /// Weekly, or longer where the newer 30 % span more than 20 weeks: a held-out replay trains at
    /// most about 20 models, whatever the history's length.
    static func retrainPeriod(of cases: [DispatchEvaluation.Case]) -> Int64 {
        guard let first = cases.first?.example.at, let last = cases.last?.example.at else { return week }
        return max(week, (last - first) * 3 / 10 / 20)
    }

    // MARK: Policy

    public func policy() async throws -> DispatchPolicy { try await platform.policy(DispatchPolicy.self) }

    func policy(on db: any SQLDatabase) async throws -> DispatchPolicy {
        try await platform.policy(DispatchPolicy.self, on: db)
    }

    public func setPolicy(_ policy: DispatchPolicy, by actor: Principal) async throws -> DispatchPolicy {
        try await platform.setPolicy(policy, by: actor)
    }

    // MARK: Training

    /// Trains a new version on every lesson known now, after measuring how a model trained the
    /// same way routes the newer 30 % of them (`DispatchEvaluation`, retrained weekly).
    public func train(trigger: String, by actor: Principal) async throws -> DispatchModelVersion {
        let now = platform.now()
        let lessons: [Case] = try await platform.pool.read { try await repository.lessons(on: $0) }
        let matters: [String: Matter] = try await platform.pool.read { db in
            Dictionary(try await MatterRepository().all(on: db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let policy = try await policy()
        let cases = lessons.map { (record: Case) -> DispatchEvaluation.Case in
            DispatchEvaluation.Case(
                example: DispatchExample(
                    facts: DispatchFacts(case: record, matter: matters[record.matterId]),
                    departmentId: record.departmentIds[0], at: record.filedAt ?? record.reportedAt),
                closedAt: record.closedAt)
        }.sorted { $0.example.at < $1.example.at }
        let window = Array(cases.suffix(Self.heldOutWindow))
        let heldOut = DispatchEvaluation.replay(
            window, retrainEvery: Self.retrainPeriod(of: window), threshold: policy.threshold,
            settings: policy.modelSettings)
        var model = DispatchModel.train(cases.map(\.example), at: now, settings: policy.modelSettings)
        model.matters = MatterSuggester.train(
            try await platform.pool.read { try await repository.matterLessons(on: $0) }, at: now,
            halfLifeDays: policy.modelSettings.halfLifeDays)
        var seen = try await platform.pool.read { try await repository.newestVersion(on: $0) }
        for _ in 1...3 {
            do {
                let version = try await platform.write(
                    actor, "dispatch_model.train", target: "dispatch_model",
                    summary: { (v: DispatchModelVersion) in
                        (String(v.version), "trained on \(v.examples) cases, held-out accuracy \(v.accuracy)")
                    }
                ) { db in
                    let version = DispatchModelVersion(
                        version: (try await repository.newestVersion(on: db) ?? 0) + 1, trainedAt: now,
                        triggerKind: trigger, trainedBy: actor.id, examples: cases.count,
                        heldOutCases: heldOut.cases, accuracy: heldOut.accuracy, top3Accuracy: heldOut.topThreeAccuracy,
                        autoPrecision: heldOut.autoPrecision, autoCoverage: heldOut.autoCoverage,
                        threshold: policy.threshold, matterAccuracy: model.matters.heldOutAccuracy)
                    try await repository.insert(version, model: model, on: db)
                    return version
                }
                platform.dispatchModels.keep(model, as: version.version)
                return version
            } catch {
                // Another node trained at the same moment and took the number: number again.
                let now = try await platform.pool.read { try await repository.newestVersion(on: $0) }
                guard now != seen else { throw error }
                seen = now
            }
        }
        throw DomainError(.conflict, code: "concurrent_update", "Another training took the version number.")
    }

    /// The schedule's training: none while no case has closed.
    public func trainIfAnything(by actor: Principal) async throws -> DispatchModelVersion? {
        let any = try await platform.pool.read { try await repository.hasLessons(on: $0) }
        return any ? try await train(trigger: "schedule", by: actor) : nil
    }

    public func versions(limit: Int = 20) async throws -> [DispatchModelVersion] {
        try await platform.pool.read { try await repository.versions(limit: limit, on: $0) }
    }

    // MARK: Advice

    public func advice(caseId: String, by actor: Principal) async throws -> DispatchAdvice {
        try await platform.pool.read { db in
            // The case alone, in the caller's scope: the advice needs nothing of its history.
            guard let record = try await CaseRepository().find(idOrNumber: caseId, on: db) else {
                throw DomainError.notFound("Case")
            }
            try record.requireVisible(to: actor)
            let rule = try await platform.matters.route(matterId: record.matterId, areaPath: record.areaPath, on: db)
            let policy = try await policy(on: db)
            let (version, model) = try await current(on: db) ?? (nil, nil)
            let matter = try await MatterRepository().find(id: record.matterId, on: db)
            let suggestions = model?.suggest(DispatchFacts(case: record, matter: matter)) ?? []
            return DispatchAdvice(
                caseId: record.id, rule: rule, modelVersion: version, suggestions: suggestions,
                threshold: policy.threshold,
                wouldAutoDispatch: rule == nil && policy.autoDispatch && platform.settings.autoDispatch
                    && (suggestions.first?.confidence ?? 0) >= policy.threshold)
        }
    }

    /// The newest model (cached per node, read again when a newer version exists).
    func current(on db: any SQLDatabase) async throws -> (Int, DispatchModel)? {
        guard let newest = try await repository.newestVersion(on: db) else { return nil }
        if let held = platform.dispatchModels.model(version: newest) { return (newest, held) }
        guard let model = try await repository.model(version: newest, on: db) else { return nil }
        platform.dispatchModels.keep(model, as: newest)
        return (newest, model)
    }

    /// A case as the model sees it, its fields read in the order of the matter's current version
    /// (the order training reads them in).
    func facts(of record: Case, on db: any SQLDatabase) async throws -> DispatchFacts {
        DispatchFacts(case: record, matter: try await MatterRepository().find(id: record.matterId, on: db))
    }

    // MARK: In the case loop

    /// The department a filed case goes to on the model's word, with the note for its history;
    /// nil when the policy is off, nothing is learned, the best is below the threshold or comes
    /// from the description's words alone (a matter with no case behind it), or its department is
    /// no longer active or serves another area.
    func autoDispatch(_ record: Case, on db: any SQLDatabase) async throws -> (departmentId: String, note: String)? {
        let policy = try await policy(on: db)
        guard policy.autoDispatch, let (version, model) = try await current(on: db),
            let best = try await model.suggest(facts(of: record, on: db), limit: 1).first,
            best.confidence >= policy.threshold, best.level != .text,
            let department = try await DepartmentRepository().find(id: best.departmentId, on: db), department.active,
            record.areaPath.hasPrefix(department.areaPath)
        else { return nil }
        let confidence = (best.confidence * 100).rounded() / 100
        return (
            best.departmentId,
            "auto-dispatch by learned model v\(version) (confidence \(confidence); \(best.agreeing) of \(best.cases) like cases)"
        )
    }

    /// A person dispatched a case no routing rule covers: when the model's best was another
    /// department, the choice is recorded (a lesson for the next training, and the model's miss
    /// rate for administrators).
    func noteDispatch(_ record: Case, chosen: [String], by actor: Principal, on db: any SQLDatabase) async throws {
        guard actor.kind == .staff, actor.id != Principal.system.id, let first = chosen.first,
            let (version, model) = try await current(on: db),
            let best = try await model.suggest(facts(of: record, on: db), limit: 1).first,
            !chosen.contains(best.departmentId),
            try await platform.matters.route(matterId: record.matterId, areaPath: record.areaPath, on: db) == nil
        else { return }
        let now = platform.now()
        try await repository.insert(
            DispatchCorrection(
                id: Identifier.make(at: now), caseId: record.id, modelVersion: version, suggested: best.departmentId,
                confidence: best.confidence, chosen: first, dispatcherId: actor.id, correctedAt: now), on: db)
    }
}

/// The newest model this node has read, so advice does not decode it per request.
public final class DispatchModelCache: Sendable {
    private let held = Mutex<(version: Int, model: DispatchModel)?>(nil)
    public init() {}
    func model(version: Int) -> DispatchModel? { held.withLock { $0?.version == version ? $0?.model : nil } }
    func keep(_ model: DispatchModel, as version: Int) {
        held.withLock { if ($0?.version ?? 0) <= version { $0 = (version, model) } }
    }
}

extension DispatchPolicy: StoredPolicy {
    static let settingKey = "dispatch.policy"
    static let changeAction = "dispatch.policy"
    static var standard: DispatchPolicy { DispatchPolicy() }
}
