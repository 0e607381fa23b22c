import ChengyunCore
import Foundation
import SQLKit

/// Warnings and supervision (预警督办): a sweep raises a yellow warning when a case's running
/// stage has used its warning threshold, red once overdue, and an automatic supervision order
/// when it is overdue past the policy's allowance; leaders issue orders by hand; recipients read
/// and answer them; an unanswered order past its deadline warns in turn. Every change goes to the
/// live stream and to the notifier.
public struct SupervisionService: Sendable {
    let platform: Platform
    let notifier: any Notifier
    let repository = SupervisionRepository()
    static let policyKey = "supervision.policy"

    public init(platform: Platform, notifier: (any Notifier)? = nil) {
        self.platform = platform
        let log = notifier ?? LogNotifier()
        self.notifier = platform.settings.webhookURL.map { FanOutNotifier([log, WebhookNotifier(url: $0)]) } ?? log
    }

    // MARK: Policy

    public func policy() async throws -> SupervisionPolicy {
        try await platform.pool.read { try await policy(on: $0) }
    }

    func policy(on db: any SQLDatabase) async throws -> SupervisionPolicy {
        try await SettingsRepository().get(Self.policyKey, as: SupervisionPolicy.self, on: db) ?? SupervisionPolicy()
    }

    public func setPolicy(_ policy: SupervisionPolicy, by actor: Principal) async throws -> SupervisionPolicy {
        try policy.validate()
        let now = platform.now()
        return try await platform.write(actor, "supervision.policy", target: "settings", summary: { _ in (Self.policyKey, "supervision policy changed") }) { db in
            try await SettingsRepository().put(Self.policyKey, policy, at: now, by: actor.id, on: db)
            return policy
        }
    }

    // MARK: The sweep

    /// What a sweep changed.
    public struct SweepReport: Equatable, Sendable {
        public var raised = 0
        public var escalated = 0
        public var resolved = 0
        public var ordersIssued = 0
        public init(raised: Int = 0, escalated: Int = 0, resolved: Int = 0, ordersIssued: Int = 0) {
            (self.raised, self.escalated, self.resolved, self.ordersIssued) = (raised, escalated, resolved, ordersIssued)
        }
    }

    /// Judges every open case's running stage and every unanswered order at `now`.
    public func sweep(at now: Int64? = nil) async throws -> SweepReport {
        let now = now ?? platform.now()
        var report = SweepReport()
        var events: [MonitoringEvent] = []
        var reminders: [(recipients: [String], subject: String, text: String)] = []
        try await platform.pool.transaction { db in
            let caseService = CaseService(platform: platform)
            let calendar = try await caseService.calendar(on: db)
            let policy = try await policy(on: db)
            let matters = Dictionary(uniqueKeysWithValues: try await MatterRepository().all(on: db).map { ($0.id, $0) })
            var filter = CaseRepository.Filter(scopePath: "/")
            filter.states = CaseState.allCases.filter { $0.isOpen && $0.stage != nil }
            let open = try await CaseRepository().queue(filter, limit: 100_000, on: db)
            var current = Set<String>()
            for record in open {
                guard let clock = record.stageClock, let stage = record.state.stage, !clock.isSuspended else { continue }
                let matter = matters[record.matterId]
                let level = ClockLevel(fractionUsed: clock.fractionUsed(at: now, on: calendar), warningThreshold: matter?.warningThreshold(for: stage) ?? 0.8)
                guard level != .normal else { continue }
                let key = "case:\(record.id):\(stage.rawValue)"
                current.insert(key)
                let severity: AlarmSeverity = level == .red ? .red : .yellow
                let overdueMinutes = record.stageDeadline.map { max(0, now - $0) / 60_000 } ?? 0
                let title = "\(record.number) \(matter?.name ?? record.matterCode)"
                let detail = level == .red ? "\(stage.rawValue) 环节已超时 \(LetterTemplate.duration(minutes: overdueMinutes))"
                    : "\(stage.rawValue) 环节已用时 \(Int(clock.fractionUsed(at: now, on: calendar) * 100))%"
                if var existing = try await repository.openWarning(key: key, on: db) {
                    guard existing.level < severity || existing.detail != detail else { continue }
                    let escalated = existing.level < severity
                    (existing.level, existing.detail, existing.updatedAt) = (severity, detail, now)
                    try await repository.update(existing, on: db)
                    if escalated {
                        report.escalated += 1
                        events.append(.warning(existing))
                        reminders.append((record.departmentIds, "红色预警 \(title)", detail))
                    }
                } else {
                    let warning = Warning(id: Identifier.make(), key: key, kind: .caseStage, level: severity, targetType: "case", targetId: record.id,
                                          areaPath: record.areaPath, departmentId: stage == .handle ? record.departmentIds.first : nil,
                                          title: title, detail: detail, raisedAt: now, updatedAt: now)
                    try await repository.insert(warning, on: db)
                    report.raised += 1
                    events.append(.warning(warning))
                    reminders.append((record.departmentIds, "\(severity == .red ? "红色" : "黄色")预警 \(title)", detail))
                }
                // Overdue past the allowance, and nobody has been ordered yet: supervision starts.
                if level == .red, overdueMinutes > Int64(policy.autoSuperviseAfterMinutes),
                   try await repository.orders(scope: "/", caseId: record.id, unansweredOnly: true, limit: 1, on: db).isEmpty {
                    let order = try await makeOrder(for: record, stage: stage, overdueMinutes: overdueMinutes, matter: matter, note: nil,
                                                    issuer: (id: "system", name: "预警规则"), automatic: true, policy: policy,
                                                    calendar: calendar, now: now, on: db)
                    report.ordersIssued += 1
                    events.append(.supervision(order))
                    reminders.append((order.departmentIds, "督办 \(order.number)", order.letter))
                }
            }
            // Unanswered orders past their deadline warn in turn.
            for order in try await repository.orders(scope: "/", unansweredOnly: true, limit: 100_000, on: db) where order.isOverdue(at: now) {
                let key = "order:\(order.id)"
                current.insert(key)
                guard try await repository.openWarning(key: key, on: db) == nil else { continue }
                let warning = Warning(id: Identifier.make(), key: key, kind: .supervisionOverdue, level: .red, targetType: "supervisionOrder",
                                      targetId: order.id, areaPath: order.areaPath, departmentId: order.departmentIds.first,
                                      title: "督办 \(order.number) 逾期未回复", detail: "案件 \(order.caseNumber)，期限 \(Instant.format(order.deadline))",
                                      raisedAt: now, updatedAt: now)
                try await repository.insert(warning, on: db)
                report.raised += 1
                events.append(.warning(warning))
                reminders.append((order.departmentIds, warning.title, warning.detail))
            }
            // Whatever is no longer near or past its limit is settled.
            for kind in [Warning.Kind.caseStage, .supervisionOverdue] {
                for var warning in try await repository.openWarnings(kind: kind, on: db) where !current.contains(warning.key) {
                    (warning.resolvedAt, warning.updatedAt) = (now, now)
                    try await repository.update(warning, on: db)
                    report.resolved += 1
                    events.append(.warning(warning))
                }
            }
        }
        platform.monitoring.events.publish(events)
        for reminder in reminders { await notifier.notify(recipients: reminder.recipients, subject: reminder.subject, text: reminder.text) }
        return report
    }

    // MARK: Indicators

    /// Raises, moves or settles each indicator's warning for the area of a recorded computation:
    /// one open warning per indicator and area, at the indicator's colour.
    public func judge(_ report: IndicatorReport) async throws {
        let now = platform.now()
        var events: [MonitoringEvent] = []
        try await platform.pool.transaction { db in
            guard let area = try await AreaRepository().find(id: report.areaId, on: db) else { return }
            for reading in report.readings {
                let key = "indicator:\(area.id):\(reading.indicator.code)"
                let existing = try await repository.openWarning(key: key, on: db)
                let detail = "\(area.name)：\(reading.value.map { String(format: "%.2f", $0) } ?? "—") \(reading.indicator.unit)"
                switch (reading.colour, existing) {
                case (nil, nil):
                    continue
                case (nil, var open?):
                    (open.resolvedAt, open.updatedAt, open.detail) = (now, now, detail)
                    try await repository.update(open, on: db)
                    events.append(.warning(open))
                case (let colour?, var open?):
                    guard open.level != colour || open.detail != detail else { continue }
                    let worse = open.level < colour
                    (open.level, open.detail, open.updatedAt) = (colour, detail, now)
                    try await repository.update(open, on: db)
                    if worse { events.append(.warning(open)) }
                case (let colour?, nil):
                    let warning = Warning(id: Identifier.make(), key: key, kind: .indicator, level: colour, targetType: "indicator",
                                          targetId: reading.indicator.code, areaPath: area.path, departmentId: nil,
                                          title: reading.indicator.name, detail: detail, raisedAt: now, updatedAt: now)
                    try await repository.insert(warning, on: db)
                    events.append(.warning(warning))
                }
            }
        }
        platform.monitoring.events.publish(events)
        for case .warning(let warning) in events where warning.resolvedAt == nil {
            await notifier.notify(recipients: [warning.areaPath], subject: "指标预警 \(warning.title)", text: warning.detail)
        }
    }

    // MARK: Orders

    func makeOrder(for record: Case, stage: CaseStage?, overdueMinutes: Int64, matter: Matter?, note: String?,
                   issuer: (id: String, name: String), automatic: Bool, policy: SupervisionPolicy, calendar: WorkCalendar, now: Int64,
                   on db: any SQLDatabase) async throws -> SupervisionOrder {
        let deadline = now + Int64(policy.orderDeadlineHours) * 3_600_000
        var departments: [String] = []
        for id in record.departmentIds { if let d = try await DepartmentRepository().find(id: id, on: db) { departments.append(d.name) } }
        let letter = policy.template.render([
            "caseNumber": record.number, "matter": matter?.name ?? record.matterCode, "address": record.address ?? "",
            "department": departments.joined(separator: "、"), "stage": stage.map { Self.stageNames[$0] ?? $0.rawValue } ?? "",
            "overdue": LetterTemplate.duration(minutes: overdueMinutes), "deadline": Instant.format(deadline, utcOffsetMinutes: calendar.utcOffsetMinutes),
            "issuer": issuer.name, "note": note ?? "",
        ])
        let number = try await repository.nextNumber(day: LocalDate(dayNumber: calendar.localDayNumber(now)), on: db)
        let order = SupervisionOrder(id: Identifier.make(), number: number, caseId: record.id, caseNumber: record.number, areaPath: record.areaPath,
                                     departmentIds: record.departmentIds, issuedBy: issuer.id, issuedByName: issuer.name, automatic: automatic,
                                     issuedAt: now, deadline: deadline, letter: letter)
        try await repository.insert(order, on: db)
        try await AuditRepository().append(.init(actor: automatic ? .system : Principal(kind: .staff, id: issuer.id, name: issuer.name, scope: nil),
                                                 action: "supervision.issue", targetType: "case", targetId: record.id,
                                                 summary: "\(number) \(automatic ? "automatic" : "by \(issuer.name)")"), at: now, on: db)
        return order
    }

    static let stageNames: [CaseStage: String] = [.accept: "受理", .verify: "核实", .file: "立案", .dispatch: "派遣", .handle: "处置",
                                                  .check: "核查", .close: "结案"]

    /// A leader orders a case sped up (in their scope), with an optional note in the letter.
    public func issue(caseId: String, note: String?, by actor: Principal) async throws -> SupervisionOrder {
        let now = platform.now()
        let order = try await platform.pool.transaction { db in
            var found = try await CaseRepository().find(id: caseId, on: db)
            if found == nil { found = try await CaseRepository().find(number: caseId, on: db) }
            guard let record = found else { throw DomainError.notFound("Case") }
            try actor.requireScope(record.areaPath)
            guard record.state.isOpen else { throw DomainError(.conflict, code: "invalid_state", "The case is \(record.state.rawValue); only open cases are supervised.") }
            let calendar = try await CaseService(platform: platform).calendar(on: db)
            let overdue = record.stageDeadline.map { max(0, now - $0) / 60_000 } ?? 0
            return try await makeOrder(for: record, stage: record.state.stage, overdueMinutes: overdue,
                                       matter: try await MatterRepository().find(id: record.matterId, on: db), note: note,
                                       issuer: (actor.id, actor.name), automatic: false, policy: try await policy(on: db),
                                       calendar: calendar, now: now, on: db)
        }
        platform.monitoring.events.publish([.supervision(order)])
        await notifier.notify(recipients: order.departmentIds, subject: "督办 \(order.number)", text: order.letter)
        return order
    }

    /// Whether `actor` is among those an order is addressed to: the handlers of its departments,
    /// or (for a case not yet with a department) the case's area staff.
    static func isRecipient(_ actor: Principal, of order: SupervisionOrder) -> Bool {
        guard actor.canSee(path: order.areaPath) else { return false }
        if let department = actor.departmentId, order.departmentIds.contains(department) { return true }
        return order.departmentIds.isEmpty && actor.has(anyOf: [.supervisor, .dispatcher, .intake])
    }

    /// A recipient reads the order (the first reading is the receipt) or answers it.
    public func acknowledge(orderId: String, response: String?, by actor: Principal) async throws -> SupervisionOrder {
        let now = platform.now()
        let order = try await platform.write(actor, response == nil ? "supervision.read" : "supervision.respond", target: "supervisionOrder",
                                             summary: { (o: SupervisionOrder) in (o.id, "\(o.number) \(o.state.rawValue)") }) { db in
            guard var order = try await repository.order(id: orderId, on: db) else { throw DomainError.notFound("Supervision order") }
            guard Self.isRecipient(actor, of: order) else { throw DomainError.outOfScope() }
            if order.readAt == nil { (order.readAt, order.readBy, order.state) = (now, actor.id, .read) }
            if let response {
                guard order.state != .responded else { throw DomainError(.conflict, code: "invalid_state", "The order is answered already.") }
                let text = response.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty, text.count <= 2000 else {
                    throw DomainError.validation([FieldIssue(field: "response", code: "invalid_value", message: "1 to 2000 characters.")])
                }
                (order.response, order.respondedAt, order.respondedBy, order.state) = (text, now, actor.id, .responded)
            }
            try await repository.update(order, on: db)
            return order
        }
        platform.monitoring.events.publish([.supervision(order)])
        return order
    }

    /// Orders in the caller's scope; a department's people see those addressed to their department.
    public func orders(caseId: String?, unansweredOnly: Bool, by actor: Principal) async throws -> [SupervisionOrder] {
        try await platform.pool.read { db in
            let department = actor.has(anyOf: [.leader, .supervisor, .admin, .dispatcher]) ? nil : actor.departmentId
            if department == nil && !actor.has(anyOf: [.leader, .supervisor, .admin, .dispatcher]) && !actor.has(anyOf: [.intake]) { return [] }
            return try await repository.orders(scope: actor.listScope, caseId: caseId, departmentId: department, unansweredOnly: unansweredOnly,
                                               limit: 500, on: db)
        }
    }

    public func order(id: String, by actor: Principal) async throws -> SupervisionOrder {
        try await platform.pool.read { db in
            guard let order = try await repository.order(id: id, on: db) else { throw DomainError.notFound("Supervision order") }
            try actor.requireScope(order.areaPath)
            return order
        }
    }

    /// Warnings in the caller's scope (a handler: their department's), newest first.
    public func warnings(openOnly: Bool, by actor: Principal) async throws -> [Warning] {
        try await platform.pool.read { db in
            let department = actor.has(anyOf: [.leader, .supervisor, .admin, .dispatcher, .intake, .inspector]) ? nil : actor.departmentId
            return try await repository.warnings(scope: actor.listScope, departmentId: department, openOnly: openOnly, limit: 500, on: db)
        }
    }
}

extension Platform {
    public var supervision: SupervisionService { SupervisionService(platform: self) }
}
