import ChengyunCore
import Foundation
import SQLKit

/// POST /warning-subscriptions: kinds (none: all), the least colour, and an area (default: the
/// caller's own).
public struct NewWarningSubscription: StrictInput {
    public var kinds: [Warning.Kind]?
    public var minLevel: AlarmSeverity?
    public var areaId: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case kinds, minLevel, areaId }
    public typealias Fields = CodingKeys

    public init(kinds: [Warning.Kind]? = nil, minLevel: AlarmSeverity? = nil, areaId: String? = nil) {
        self.kinds = kinds
        self.minLevel = minLevel
        self.areaId = areaId
    }
}

struct WarningSubscriptionRepository: Sendable {
    func insert(_ s: WarningSubscription, on db: any SQLDatabase) async throws {
        try await db.insert(into: "warning_subscriptions").columns(
            "id", "user_id", "kinds", "min_level", "area_path", "created_at"
        )
        .values(
            SQLBind(s.id), SQLBind(s.userId), SQLBind(s.kinds.map(\.rawValue).joined(separator: ",")),
            SQLBind(s.minLevel.rawValue),
            SQLBind(s.areaPath), SQLBind(s.createdAt)
        )
        .run()
    }

    func delete(id: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: "warning_subscriptions").where("id", .equal, id).run()
    }

    /// One person's subscriptions, or everyone's.
    func subscriptions(userId: String?, on db: any SQLDatabase) async throws -> [WarningSubscription] {
        var query = db.select().column("*").from("warning_subscriptions")
        if let userId { query = query.where("user_id", .equal, userId) }
        return try await query.orderBy("created_at").all().map { row in
            WarningSubscription(
                id: try row.decode(column: "id", as: String.self),
                userId: try row.decode(column: "user_id", as: String.self),
                kinds: try row.decode(column: "kinds", as: String.self).split(separator: ",").compactMap {
                    Warning.Kind(rawValue: String($0))
                },
                minLevel: try row.decode(column: "min_level", as: AlarmSeverity.self),
                areaPath: try row.decode(column: "area_path", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self))
        }
    }
}

extension SupervisionService {
    public func subscriptions(by actor: Principal) async throws -> [WarningSubscription] {
        try await platform.pool.read {
            try await WarningSubscriptionRepository().subscriptions(userId: actor.id, on: $0)
        }
    }

    public func subscribe(_ input: NewWarningSubscription, by actor: Principal) async throws -> WarningSubscription {
        let now = platform.now()
        return try await platform.write(
            actor, "warning.subscribe", target: "warningSubscription",
            summary: { (s: WarningSubscription) in (s.id, "\(s.kinds.map(\.rawValue)) ≥ \(s.minLevel.rawValue)") }
        ) { db in
            var path = actor.scope?.path ?? "/"
            if let areaId = input.areaId {
                guard let area = try await AreaRepository().find(id: areaId, on: db) else {
                    throw DomainError.validation([
                        FieldIssue(field: "areaId", code: "unknown_area", message: "No area \(areaId).")
                    ])
                }
                path = area.path
            }
            try actor.requireScope(path)
            guard try await WarningSubscriptionRepository().subscriptions(userId: actor.id, on: db).count < 50 else {
                throw DomainError(.conflict, code: "too_many_subscriptions", "At most 50 subscriptions each.")
            }
            let subscription = WarningSubscription(
                id: Identifier.make(), userId: actor.id,
                kinds: Array(Set(input.kinds ?? [])).sorted { $0.rawValue < $1.rawValue },
                minLevel: input.minLevel ?? .yellow, areaPath: path, createdAt: now)
            try await WarningSubscriptionRepository().insert(subscription, on: db)
            return subscription
        }
    }

    public func unsubscribe(id: String, by actor: Principal) async throws {
        _ = try await platform.write(
            actor, "warning.unsubscribe", target: "warningSubscription", summary: { (_: Bool) in (id, "removed") }
        ) { db in
            guard
                try await WarningSubscriptionRepository().subscriptions(userId: actor.id, on: db).contains(where: {
                    $0.id == id
                })
            else {
                throw DomainError.notFound("Subscription")
            }
            try await WarningSubscriptionRepository().delete(id: id, on: db)
            return true
        }
    }

    /// Every subscription, read once per sweep or judgement: the reminders of each warning it
    /// raises go to the people whose subscriptions match (`subscribers(of:among:)`).
    func allSubscriptions(on db: any SQLDatabase) async throws -> [WarningSubscription] {
        try await WarningSubscriptionRepository().subscriptions(userId: nil, on: db)
    }

    /// Whose subscriptions match `warning`: every level's, in an area in wartime.
    static func subscribers(of warning: Warning, among subscriptions: [WarningSubscription], wartime: [String] = [])
        -> [String]
    {
        let widened = Wartime.covers(warning.areaPath, wartimePaths: wartime)
        return Array(Set(subscriptions.filter { $0.matches(warning, wartime: widened) }.map(\.userId))).sorted()
    }

    /// Warnings any of the caller's subscriptions match, newest first.
    func subscribedWarnings(openOnly: Bool, by actor: Principal, on db: any SQLDatabase) async throws -> [Warning] {
        let mine = try await WarningSubscriptionRepository().subscriptions(userId: actor.id, on: db)
        guard !mine.isEmpty else { return [] }
        return try await repository.warnings(
            scope: actor.listScope, departmentId: SupervisionService.warningDepartment(of: actor),
            openOnly: openOnly, limit: 2000, on: db
        )
        .filter { warning in mine.contains { $0.matches(warning) } }.prefix(500).map { $0 }
    }
}
