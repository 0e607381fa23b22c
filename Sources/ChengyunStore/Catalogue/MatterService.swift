import ChengyunCore
import Foundation
import SQLKit

/// The matter catalogue (事项管理), the work calendar and routing rules.
public struct MatterService: Sendable {
    let platform: Platform
    let matters = MatterRepository()
    let rules = RoutingRuleRepository()
    let calendars = CalendarRepository()

    // MARK: Matters

    public func create(_ input: MatterInput, by actor: Principal) async throws -> Matter {
        try await platform.write(
            actor, "matter.create", target: "matter", summary: { ($0.id, "\($0.code) \($0.name) v1") }
        ) { db in
            try await create(input, on: db)
        }
    }

    func create(_ input: MatterInput, on db: any SQLDatabase) async throws -> Matter {
        let now = platform.now()
        let matter = input.matter(id: Identifier.make(at: now), version: 1, at: now)
        try await check(matter, on: db)
        if try await matters.find(kind: matter.kind, majorCode: matter.majorCode, minorCode: matter.minorCode, on: db)
            != nil
        {
            throw DomainError(
                .conflict, code: "duplicate_matter", "Minor category \(matter.code) already has a matter.")
        }
        try await matters.save(matter, on: db)
        return matter
    }

    /// Saves the input as the matter's next version; cases filed earlier keep theirs.
    public func update(id: String, _ input: MatterInput, by actor: Principal) async throws -> Matter {
        try await platform.write(
            actor, "matter.update", target: "matter",
            summary: { ($0.id, "\($0.code) \($0.name) v\($0.version)") }
        ) { db in
            guard let current = try await matters.find(id: id, on: db) else { throw DomainError.notFound("Matter") }
            guard input.kind == current.kind, input.majorCode == current.majorCode, input.minorCode == current.minorCode
            else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "minorCode", code: "immutable",
                        message: "A matter keeps its category; make a new matter instead.")
                ])
            }
            let next = input.matter(id: id, version: current.version + 1, at: platform.now())
            try await check(next, on: db)
            try await matters.save(next, on: db)
            return next
        }
    }

    private func check(_ matter: Matter, on db: any SQLDatabase) async throws {
        var issues = matter.issues()
        let category = try await db.select().column("code").from("minor_categories")
            .where("kind", .equal, matter.kind.rawValue).where("major_code", .equal, matter.majorCode)
            .where("code", .equal, matter.minorCode).first()
        if category == nil {
            issues.append(
                FieldIssue(
                    field: "minorCode", code: "unknown_category",
                    message: "No minor category \(matter.kind.rawValue) \(matter.majorCode)\(matter.minorCode)."))
        }
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }

    public func matter(id: String) async throws -> Matter {
        guard let matter = try await platform.pool.read({ try await matters.find(id: id, on: $0) }) else {
            throw DomainError.notFound("Matter")
        }
        return matter
    }

    public func all(publicOnly: Bool = false) async throws -> [Matter] {
        try await platform.pool.read { try await matters.all(publicOnly: publicOnly, on: $0) }
    }

    public func versions(id: String) async throws -> [Matter] {
        let versions = try await platform.pool.read { try await matters.versions(of: id, on: $0) }
        if versions.isEmpty { throw DomainError.notFound("Matter") }
        return versions
    }

    /// Adds new matters and saves changed ones as new versions, all in one transaction.
    public func importCatalogue(_ file: MatterCatalogueFile, by actor: Principal) async throws -> ImportReport {
        try await platform.write(
            actor, "matter.import", target: "matter",
            summary: { ("catalogue", "created \($0.created), updated \($0.updated), unchanged \($0.unchanged)") }
        ) { db in
            var report = ImportReport(created: 0, updated: 0, unchanged: 0)
            for (index, input) in file.matters.enumerated() {
                do {
                    if let current = try await matters.find(
                        kind: input.kind, majorCode: input.majorCode, minorCode: input.minorCode, on: db)
                    {
                        let next = input.matter(id: current.id, version: current.version + 1, at: platform.now())
                        var comparable = next
                        comparable.version = current.version
                        comparable.updatedAt = current.updatedAt
                        if comparable == current {
                            report.unchanged += 1
                        } else {
                            try await check(next, on: db)
                            try await matters.save(next, on: db)
                            report.updated += 1
                        }
                    } else {
                        _ = try await create(input, on: db)
                        report.created += 1
                    }
                } catch let error as DomainError {
                    // Name the entry in the file that failed; the whole import rolls back.
                    throw DomainError(
                        error.kind, code: error.code, "matters[\(index)]: \(error.message)",
                        issues: error.issues.map {
                            FieldIssue(field: "matters[\(index)].\($0.field)", code: $0.code, message: $0.message)
                        })
                }
            }
            return report
        }
    }

    public func exportCatalogue() async throws -> MatterCatalogueFile {
        MatterCatalogueFile(version: nil, source: "Chengyun export", matters: try await all().map(MatterInput.init))
    }

    public static func defaultCatalogue() throws -> MatterCatalogueFile {
        try ShippedFile.read("default-matters", as: MatterCatalogueFile.self)
    }

    // MARK: Calendar

    /// The platform's calendar; the shipped default until an administrator saves one.
    public func calendar() async throws -> WorkCalendar {
        try await platform.pool.read { try await calendars.current(on: $0) }
    }

    public func saveCalendar(_ calendar: WorkCalendar, by actor: Principal) async throws -> WorkCalendar {
        let issues = calendar.issues()
        if !issues.isEmpty { throw DomainError.validation(issues) }
        return try await platform.write(
            actor, "calendar.update", target: "calendar",
            summary: { _ in
                ("default", "\(calendar.holidays.count) holidays, \(calendar.makeUpWorkdays.count) make-up days")
            }
        ) { db in
            try await calendars.save(calendar, at: platform.now(), on: db)
            return calendar
        }
    }

    // MARK: Routing rules

    public func addRule(_ input: NewRoutingRule, by actor: Principal) async throws -> RoutingRule {
        try await platform.write(
            actor, "routing_rule.create", target: "routing_rule",
            summary: { ($0.id, "matter \($0.matterId ?? "fallback") → \($0.departmentIds.count) department(s)") }
        ) { db in
            guard let area = try await AreaRepository().find(id: input.areaId, on: db) else {
                throw DomainError.validation([
                    FieldIssue(field: "areaId", code: "unknown_area", message: "No area has this id.")
                ])
            }
            try actor.requireScope(area.path)
            var validator = Validator()
            validator.check(
                !input.departmentIds.isEmpty, "departmentIds", "required", "Route to at least one department.")
            for (index, id) in input.departmentIds.enumerated() {
                let found = try await DepartmentRepository().find(id: id, on: db)
                validator.check(
                    found != nil, "departmentIds[\(index)]", "unknown_department", "No department has this id.")
            }
            if let matterId = input.matterId {
                validator.check(
                    try await matters.find(id: matterId, on: db) != nil, "matterId", "unknown_matter",
                    "No matter has this id.")
            }
            try validator.finish()
            let now = platform.now()
            let rule = RoutingRule(
                id: Identifier.make(at: now), matterId: input.matterId, areaId: area.id, areaPath: area.path,
                departmentIds: input.departmentIds)
            try await rules.insert(rule, at: now, on: db)
            return rule
        }
    }

    public func deleteRule(id: String, by actor: Principal) async throws {
        _ = try await platform.write(actor, "routing_rule.delete", target: "routing_rule", summary: { ($0, "deleted") })
        { db in
            let rule = try actor.found(try await rules.find(id: id, on: db), "Routing rule", in: \.areaPath)
            try await rules.delete(id: id, on: db)
            return id
        }
    }

    public func rules(by actor: Principal) async throws -> [RoutingRule] {
        try await platform.pool.read { try await rules.list(scopePath: actor.listScope, on: $0) }
    }

    /// The departments a case of `matterId` at `areaPath` goes to, if a rule says.
    public func route(matterId: String, areaPath: String, on db: any SQLDatabase) async throws -> RoutingRule? {
        RoutingRule.resolve(
            try await rules.candidates(matterId: matterId, on: db), matterId: matterId, areaPath: areaPath)
    }
}
