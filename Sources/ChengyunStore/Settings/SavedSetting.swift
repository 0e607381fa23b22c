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
