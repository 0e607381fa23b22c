import ChengyunCore
import SQLKit

/// The performance evaluation (绩效评价, docs/domain.md §6) of a period, computed from the case history.
public struct EvaluationReport: Codable, Sendable {
    public var from: Int64
    public var to: Int64
    public var inspectors: [EvaluationRow]
    public var intakeOperators: [EvaluationRow]
    public var supervisors: [EvaluationRow]
    public var dispatchers: [EvaluationRow]
    public var departments: [EvaluationRow]
    public var districts: [EvaluationRow]
    public var streets: [EvaluationRow]

    /// The groups by name, for the CSV export.
    public func group(_ name: String) -> [EvaluationRow]? {
        [
            "inspectors": inspectors, "intakeOperators": intakeOperators, "supervisors": supervisors,
            "dispatchers": dispatchers,
            "departments": departments, "districts": districts, "streets": streets,
        ][name]
    }
}

public struct EvaluationService: Sendable {
    let platform: Platform
    let repository = EvaluationRepository()
    static let weightsKey = "evaluation.weights"

    /// The weights and volume bands in force: an administrator's, else the configured defaults.
    public func weights() async throws -> EvaluationWeights {
        try await platform.pool.read { try await weights(on: $0) }
    }

    func weights(on db: any SQLDatabase) async throws -> EvaluationWeights {
        try await SettingsRepository().get(Self.weightsKey, as: EvaluationWeights.self, on: db)
            ?? platform.settings.evaluation
    }

    /// Replaces the weights and bands (checked first); evaluations from now on use them.
    public func setWeights(_ weights: EvaluationWeights, by actor: Principal) async throws -> EvaluationWeights {
        try weights.validate()
        return try await platform.saveSetting(
            weights, as: Self.weightsKey, action: "evaluation.weights",
            summary: "evaluation weights and volume bands changed", by: actor)
    }

    public func evaluate(from: Int64, to: Int64, by actor: Principal) async throws -> EvaluationReport {
        guard to > from else {
            throw DomainError.validation([
                FieldIssue(field: "to", code: "invalid_period", message: "The period ends after it starts.")
            ])
        }
        return try await platform.pool.read { db in
            let weights = try await weights(on: db)
            let offset = try await CalendarRepository().current(on: db).utcOffsetMinutes
            let stages = try await repository.stageCounts(from: from, to: to, utcOffsetMinutes: offset, on: db)
            let reports = try await repository.inspectorReports(from: from, to: to, on: db)
            let filed = try await repository.filedByArea(from: from, to: to, on: db)
            let closed = try await repository.closedByArea(from: from, to: to, on: db)
            let cancelled = try await repository.filedThenCancelled(from: from, to: to, on: db)
            let returned = try await repository.returnedDispatches(from: from, to: to, on: db)
            let extensions = try await repository.extensions(from: from, to: to, on: db)
            let overdue = try await repository.overdueUnhandled(from: from, to: to, on: db)
            let checkDispatches = try await repository.checkDispatches(from: from, to: to, on: db)
            let users = try await everyone(in: actor.listScope, on: db)
            let departments = try await DepartmentRepository().list(
                scopePath: actor.listScope, kind: nil,
                page: PageRequest(limit: PageRequest.maxLimit), on: db
            ).items
            let areas = try await AreaRepository().list(
                .init(scopePath: actor.listScope), page: PageRequest(limit: PageRequest.maxLimit),
                on: db
            ).items
            func stage(_ s: CaseStage, _ endedBy: [String], actor id: String? = nil, department: String? = nil) -> (
                Int, Int
            ) {
                stages.filter {
                    $0.stage == s && endedBy.contains($0.endedBy ?? "")
                        && (id == nil || $0.actorId == id) && (department == nil || $0.departmentId == department)
                }
                .reduce((0, 0)) { ($0.0 + $1.count, $0.1 + $1.onTime) }
            }
            func people(_ role: Role) -> [User] { users.filter { $0.roles.contains(role) } }

            let inspectors = people(.inspector).map { user -> EvaluationRow in
                var c = InspectorCounts()
                (c.reported, c.valid) = reports[user.id] ?? (0, 0)
                for entry in filed where entry.areaPath.hasPrefix(user.areaPath) {
                    c.filedInArea += entry.count
                    if !entry.fromInspector { c.missed += entry.count }
                }
                (c.verifications, c.verificationsOnTime) = stage(.verify, ["verify"], actor: user.id)
                (c.checks, c.checksOnTime) = stage(.check, ["pass", "fail"], actor: user.id)
                let (figures, score) = EvaluationFormulas.inspector(c, weights: weights)
                return EvaluationRow(id: user.id, name: user.displayName, figures: figures, score: score)
            }
            let intakeCounts = Dictionary(
                uniqueKeysWithValues: people(.intake).map { user -> (String, IntakeCounts) in
                    var c = IntakeCounts()
                    (c.accepted, c.acceptedOnTime) = stage(.accept, ["accept"], actor: user.id)
                    (c.checkDispatches, c.checkDispatchesOnTime) = checkDispatches[user.id] ?? (0, 0)
                    return (user.id, c)
                })
            let intakeScores = weights.volumeScores(intakeCounts.mapValues(\.accepted))
            let intake = people(.intake).map { user in
                let (figures, score) = EvaluationFormulas.intake(
                    intakeCounts[user.id]!, countScore: intakeScores[user.id] ?? 0, weights: weights)
                return EvaluationRow(id: user.id, name: user.displayName, figures: figures, score: score)
            }
            let supervisors = people(.supervisor).map { user -> EvaluationRow in
                var c = SupervisorCounts()
                (c.filings, c.filingsOnTime) = stage(.file, ["file"], actor: user.id)
                c.filedThenCancelled = cancelled[user.id] ?? 0
                (c.closings, c.closingsOnTime) = stage(.close, ["close"], actor: user.id)
                let (figures, score) = EvaluationFormulas.supervisor(c, weights: weights)
                return EvaluationRow(id: user.id, name: user.displayName, figures: figures, score: score)
            }
            let dispatcherCounts = Dictionary(
                uniqueKeysWithValues: people(.dispatcher).map { user -> (String, DispatcherCounts) in
                    var c = DispatcherCounts()
                    (c.dispatched, c.dispatchedOnTime) = stage(.dispatch, ["dispatch"], actor: user.id)
                    c.returned = returned[user.id] ?? 0
                    return (user.id, c)
                })
            let dispatcherScores = weights.volumeScores(dispatcherCounts.mapValues(\.dispatched))
            let dispatchers = people(.dispatcher).map { user in
                let (figures, score) = EvaluationFormulas.dispatcher(
                    dispatcherCounts[user.id]!, countScore: dispatcherScores[user.id] ?? 0,
                    weights: weights)
                return EvaluationRow(id: user.id, name: user.displayName, figures: figures, score: score)
            }
            let departmentCounts = Dictionary(
                uniqueKeysWithValues: departments.map { department -> (String, DepartmentCounts) in
                    var c = DepartmentCounts()
                    (c.handled, c.handledOnTime) = stage(.handle, ["complete"], department: department.id)
                    c.reworked = stage(.check, ["fail"], department: department.id).0
                    c.overdueUnhandled = overdue[department.id] ?? 0
                    c.extensions = extensions[department.id] ?? 0
                    return (department.id, c)
                })
            let volumes = weights.volumeScores(departmentCounts.mapValues(\.handled))
            let departmentRows = departments.map { department in
                let (figures, score) = EvaluationFormulas.department(
                    departmentCounts[department.id]!, volumeScore: volumes[department.id] ?? 0,
                    weights: weights)
                return EvaluationRow(id: department.id, name: department.name, figures: figures, score: score)
            }
            func areaRows(_ level: AreaLevel) -> [EvaluationRow] {
                let group = areas.filter { $0.level == level }
                let counts = Dictionary(
                    uniqueKeysWithValues: group.map { area -> (String, AreaCounts) in
                        var c = AreaCounts()
                        for entry in filed where entry.areaPath.hasPrefix(area.path) {
                            c.filed += entry.count
                            if entry.fromInspector { c.filedFromInspectors += entry.count }
                        }
                        for entry in closed where entry.areaPath.hasPrefix(area.path) {
                            c.closed += entry.closed
                            c.closedOnTime += entry.onTime
                        }
                        return (area.id, c)
                    })
                let filedScores = weights.volumeScores(counts.mapValues(\.filed))
                return group.map { area in
                    let (figures, score) = EvaluationFormulas.area(
                        counts[area.id]!, filedScore: filedScores[area.id] ?? 0, weights: weights)
                    return EvaluationRow(id: area.id, name: area.name, figures: figures, score: score)
                }
            }
            let ranked = { (rows: [EvaluationRow]) in
                rows.sorted { ($0.score ?? -1, $1.name) > ($1.score ?? -1, $0.name) }
            }
            return EvaluationReport(
                from: from, to: to, inspectors: ranked(inspectors), intakeOperators: ranked(intake),
                supervisors: ranked(supervisors), dispatchers: ranked(dispatchers),
                departments: ranked(departmentRows), districts: ranked(areaRows(.district)),
                streets: ranked(areaRows(.street)))
        }
    }

    private func everyone(in scope: String, on db: any SQLDatabase) async throws -> [User] {
        try await PageRequest.all { try await UserRepository().list(.init(scopePath: scope), page: $0, on: db) }.filter(
            \.active)
    }
}

extension EvaluationWeights: StrictInput {
    public typealias Fields = CodingKeys
}
