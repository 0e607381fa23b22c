import Foundation
import SQLKit

/// Run-time settings as JSON documents by key; a key never set reads as nil (the caller's default).
struct SettingsRepository: Sendable {
    func get<Value: Decodable>(_ key: String, as type: Value.Type, on db: any SQLDatabase) async throws -> Value? {
        guard let row = try await db.select().column("value").from("settings").where("key", .equal, key).first() else {
            return nil
        }
        return try JSONDecoder().decode(Value.self, from: Data(try row.decode(column: "value", as: String.self).utf8))
    }

    func put(_ key: String, _ value: some Encodable, at now: Int64, by actorId: String, on db: any SQLDatabase)
        async throws
    {
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        try await db.delete(from: "settings").where("key", .equal, key).run()
        try await db.insert(into: "settings").columns("key", "value", "updated_at", "updated_by")
            .values(SQLBind(key), SQLBind(text), SQLBind(now), SQLBind(actorId)).run()
    }
}
