import ChengyunCore
import ChengyunStore
import Hummingbird

/// Alarms (告警) and alarm rules (告警规则).
struct AlarmsController {
    let platform: Platform
    static let handlers = Access.staff([.admin, .supervisor, .dispatcher, .leader, .intake])

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "alarms", .allStaff,
            RouteDoc(
                "List alarms in the caller's area, newest first by id", .monitoring,
                parameters: [
                    .query("open", .boolean), .query("state", .named(AlarmState.self)),
                    .query("severity", .named(AlarmSeverity.self)), .query("deviceId"), .query("ruleId"), .cursor,
                    .limit,
                ])
        ) { request, _, principal in
            let filter = AlarmRepository.Filter(
                state: try request.queryEnum("state", AlarmState.self),
                open: try request.queryBool("open"),
                severity: try request.queryEnum("severity", AlarmSeverity.self),
                deviceId: request.query("deviceId"), ruleId: request.query("ruleId"))
            return JSONBody(try await platform.alarms.list(filter, page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "alarms/{id}", .allStaff,
            RouteDoc("Read an alarm", .monitoring, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.alarms.alarm(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "alarms/{id}/acknowledge", Self.handlers,
            RouteDoc(
                "Acknowledge a raised (or suppressed) alarm", .monitoring, body: .json(AlarmNote.self),
                answers: [.problem(409, "Not allowed in the alarm's or device's state")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(AlarmNote.self, context: context)
            return JSONBody(
                try await platform.alarms.acknowledge(id: try context.id(), note: input.note, by: principal))
        }
        routes.on(
            .post, "alarms/{id}/clear", Self.handlers,
            RouteDoc(
                "Clear an open alarm by hand; the rule raises again only after its condition has cleared", .monitoring,
                body: .json(AlarmNote.self), answers: [.problem(409, "Not allowed in the alarm's or device's state")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(AlarmNote.self, context: context)
            return JSONBody(try await platform.alarms.clear(id: try context.id(), note: input.note, by: principal))
        }
        routes.on(
            .post, "alarms/{id}/case", Self.handlers,
            RouteDoc("Link an alarm to a case the caller may see", .monitoring, body: .json(AlarmCaseLink.self))
        ) { request, context, principal in
            let input = try await request.decodeStrict(AlarmCaseLink.self, context: context)
            return JSONBody(
                try await platform.alarms.link(alarmId: try context.id(), caseId: input.caseId, by: principal))
        }
        routes.on(
            .get, "alarm-rules", .allStaff,
            RouteDoc(
                "List alarm rules (the defaults of every device kind and the ones administrators wrote)", .monitoring,
                parameters: [.query("kind")])
        ) { request, _, _ in
            JSONBody(AlarmRuleList(items: try await platform.alarmRules.list(kindCode: request.query("kind"))))
        }
        routes.on(
            .get, "alarm-rules/{id}", .allStaff,
            RouteDoc("Read an alarm rule", .monitoring, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, _ in
            JSONBody(try await platform.alarmRules.rule(id: try context.id()))
        }
        routes.on(
            .post, "alarm-rules", .admin,
            RouteDoc("Create an alarm rule", .monitoring, body: .json(AlarmRuleInput.self), status: 201)
        ) { request, context, principal in
            let input = try await request.decodeStrict(AlarmRuleInput.self, context: context)
            return JSONBody(try await platform.alarmRules.create(input, by: principal), status: .created)
        }
        routes.on(
            .put, "alarm-rules/{id}", .admin,
            RouteDoc(
                "Replace an alarm rule's definition (its state on every device starts afresh)", .monitoring,
                body: .json(AlarmRuleInput.self))
        ) { request, context, principal in
            let input = try await request.decodeStrict(AlarmRuleInput.self, context: context)
            return JSONBody(try await platform.alarmRules.update(id: try context.id(), input, by: principal))
        }
        return routes
    }
}

struct AlarmRuleList: Encodable {
    var items: [AlarmRule]
}

/// An optional note on an acknowledgement or a clear.
struct AlarmNote: StrictInput {
    var note: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case note }
    typealias Fields = CodingKeys
}

struct AlarmCaseLink: StrictInput {
    var caseId: String
    enum CodingKeys: String, CodingKey, CaseIterable { case caseId }
    typealias Fields = CodingKeys
}
