import ChengyunCore
import SQLKit

extension Platform {
    /// Saves an administrator's setting under `key` in one audited write (target `settings`),
    /// after `check` has read what it needs on the same transaction.
    func saveSetting<T: Encodable & Sendable>(
        _ value: T, as key: String, action: String, summary: String, by actor: Principal,
        check: (any SQLDatabase) async throws -> Void = { _ in }
    ) async throws -> T {
        let now = now()
        return try await write(actor, action, target: "settings", summary: { _ in (key, summary) }) { db in
            try await check(db)
            try await SettingsRepository().put(key, value, at: now, by: actor.id, on: db)
            return value
        }
    }
}

/// A policy administrators set, stored as one setting: its key, the audit action that changes it,
/// its default and its check.
protocol StoredPolicy: Codable, Sendable {
    static var settingKey: String { get }
    static var changeAction: String { get }
    static var standard: Self { get }
    func validate() throws
}

extension Platform {
    /// The policy in force: the saved one, else the default.
    func policy<P: StoredPolicy>(_ type: P.Type, on db: any SQLDatabase) async throws -> P {
        try await SettingsRepository().get(P.settingKey, as: P.self, on: db) ?? P.standard
    }

    func policy<P: StoredPolicy>(_ type: P.Type) async throws -> P {
        try await pool.read { try await policy(P.self, on: $0) }
    }

    /// Checks and saves a policy, audited.
    func setPolicy<P: StoredPolicy>(_ policy: P, by actor: Principal) async throws -> P {
        try policy.validate()
        return try await saveSetting(
            policy, as: P.settingKey, action: P.changeAction, summary: "\(P.changeAction) changed", by: actor)
    }
}
