import ChengyunCore
import SQLKit

/// Alarms: open ones (at most one per rule × device) and their history.
public struct AlarmRepository: Sendable {
    public init() {}

    public struct Filter: Sendable {
        public var state: AlarmState?
        public var open: Bool?
        public var severity: AlarmSeverity?
        public var deviceId: String?
        public var ruleId: String?
        public init(
            state: AlarmState? = nil, open: Bool? = nil, severity: AlarmSeverity? = nil, deviceId: String? = nil,
            ruleId: String? = nil
        ) {
            self.state = state
            self.open = open
            self.severity = severity
            self.deviceId = deviceId
            self.ruleId = ruleId
        }
    }

    func insert(_ alarm: Alarm, on db: any SQLDatabase) async throws {
        try await db.insert(into: "alarms").model(alarm, with: rowEncoder).run()
    }

    /// Writes `alarm` over the stored version `was` (its `updated_at`); false when the row is
    /// another version by now (on PostgreSQL a concurrent writer's commit is waited for and seen).
    func update(_ alarm: Alarm, from was: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await !db.update("alarms").set(model: alarm, with: rowEncoder).where("id", .equal, alarm.id)
            .where("updated_at", .equal, was).returning("id").all().isEmpty
    }

    func find(id: String, on db: any SQLDatabase) async throws -> Alarm? {
        try await db.select().column("*").from("alarms").where("id", .equal, id).first(
            decoding: Alarm.self, with: rowDecoder)
    }

    func open(on db: any SQLDatabase) async throws -> [Alarm] {
        try await db.select().column("*").from("alarms").where("state", .notEqual, AlarmState.cleared.rawValue)
            .all(decoding: Alarm.self, with: rowDecoder)
    }

    func list(scopePath: String?, filter: Filter, page: PageRequest, on db: any SQLDatabase) async throws -> Page<Alarm>
    {
        var query = db.select().column("*").from("alarms").inScope(scopePath)
        if let state = filter.state { query = query.where("state", .equal, state.rawValue) }
        if let open = filter.open {
            query = query.where("state", open ? .notEqual : .equal, AlarmState.cleared.rawValue)
        }
        if let severity = filter.severity { query = query.where("severity", .equal, severity.rawValue) }
        if let deviceId = filter.deviceId { query = query.where("device_id", .equal, deviceId) }
        if let ruleId = filter.ruleId { query = query.where("rule_id", .equal, ruleId) }
        let rows = try await page.apply(to: query).all(decoding: Alarm.self, with: rowDecoder)
        return page.page(rows) { $0.id }
    }

    func count(deviceId: String, ruleId: String, on db: any SQLDatabase) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alarms")
            .where("device_id", .equal, deviceId).where("rule_id", .equal, ruleId).first()?.decode(
                column: "n", as: Int.self) ?? 0
    }
}
