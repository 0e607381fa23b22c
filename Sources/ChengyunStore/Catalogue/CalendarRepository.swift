import ChengyunCore
import Foundation
import SQLKit

/// The work calendar (one per platform, id "default"). Parsed calendars are cached by the row's
/// `version`, a fresh id on every save, so a clock step costs one small query and every server
/// sharing the database sees an administrator's change at once.
public struct CalendarRepository: Sendable {
    public init() {}

    /// The calendar every clock runs on: the administrator's, or the shipped one until one is
    /// saved. The one reader of the calendar — services call this, not each other.
    public func current(on db: any SQLDatabase) async throws -> WorkCalendar {
        try await load(on: db) ?? Self.defaultCalendar()
    }

    public func load(on db: any SQLDatabase) async throws -> WorkCalendar? {
        guard let row = try await db.select().column("version").from("calendars").where("id", .equal, "default").first()
        else {
            return nil
        }
        let stamp = try row.decode(column: "version", as: String.self)
        if let cached = CalendarCache.shared.get(stamp) { return cached }
        guard let body = try await db.select().column("body").from("calendars").where("id", .equal, "default").first()
        else { return nil }
        let calendar = try JSONDecoder().decode(
            WorkCalendar.self, from: Data(try body.decode(column: "body", as: String.self).utf8))
        CalendarCache.shared.put(calendar, stamp: stamp)
        return calendar
    }

    public func save(_ calendar: WorkCalendar, at now: Int64, on db: any SQLDatabase) async throws {
        let body = String(decoding: try JSONEncoder().encode(calendar), as: UTF8.self)
        let version = Identifier.make(at: now)
        let exists = try await db.select().column("id").from("calendars").where("id", .equal, "default").first() != nil
        if exists {
            try await db.update("calendars").set("body", to: body).set("version", to: version).set(
                "updated_at", to: now
            )
            .where("id", .equal, "default").run()
        } else {
            try await db.insert(into: "calendars").columns("id", "body", "version", "updated_at")
                .values(SQLBind("default"), SQLBind(body), SQLBind(version), SQLBind(now)).run()
        }
    }

    /// The calendar shipped with the product, parsed once.
    public static func defaultCalendar() throws -> WorkCalendar {
        try shipped.get()
    }

    private static let shipped = Result { try ShippedFile.read("default-calendar", as: WorkCalendar.self) }
}

/// Parsed calendars by the version they were saved under (a few at most per process).
final class CalendarCache: @unchecked Sendable {
    static let shared = CalendarCache()
    private let lock = NSLock()
    private var entries: [String: WorkCalendar] = [:]

    func get(_ version: String) -> WorkCalendar? {
        lock.withLock { entries[version] }
    }

    func put(_ calendar: WorkCalendar, stamp version: String) {
        lock.withLock {
            if entries.count > 16 { entries.removeAll() }
            entries[version] = calendar
        }
    }
}
