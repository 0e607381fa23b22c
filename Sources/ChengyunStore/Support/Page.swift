import ChengyunCore
import Foundation
import SQLKit

/// One page of a list and the cursor for the next (nil on the last page).
public struct Page<Item: Sendable & Encodable>: Sendable, Encodable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Which end of a list comes first: the oldest (a feed read on by cursor) or the newest (a log
/// a person looks at).
public enum ListOrder: String, Codable, CaseIterable, Sendable {
    case oldest, newest
}

/// Keyset paging over app-generated ids, which sort by creation time. The cursor is opaque to
/// clients: the base64url of the last id seen.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maxLimit = 500

    public var afterId: String?
    public var limit: Int
    /// Where the list starts; with `newest`, the cursor leads on to older items.
    public var order = ListOrder.oldest

    public init(afterId: String? = nil, limit: Int = PageRequest.defaultLimit) {
        self.afterId = afterId
        self.limit = min(max(1, limit), Self.maxLimit)
    }

    /// Reads `cursor` and `limit` query parameters.
    public init(cursor: String?, limit: String?) throws {
        var validator = Validator()
        var afterId: String?
        if let cursor, !cursor.isEmpty {
            afterId = Self.decode(cursor)
            validator.check(afterId != nil, "cursor", "invalid_cursor", "The cursor is not one this API gave out.")
        }
        var size = Self.defaultLimit
        if let limit, !limit.isEmpty {
            let parsed = Int(limit)
            validator.check(
                parsed.map { (1...Self.maxLimit).contains($0) } ?? false, "limit", "invalid_limit",
                "limit is a whole number from 1 to \(Self.maxLimit).")
            size = parsed ?? size
        }
        try validator.finish()
        self.init(afterId: afterId, limit: size)
    }

    static func encode(_ id: String) -> String {
        Data(id.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let id = String(data: data, encoding: .utf8),
            Identifier.isWellFormed(id) || id.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { return nil }
        return id
    }

    /// A cursor for a record key of any text (a dataset's keys may be Chinese), and back.
    public static func encodeCursor(_ key: String) -> String { encode(key) }

    public static func decodeCursor(_ cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard cursor.count <= 4096, let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// Applies the keyset condition and fetches one row more than asked, to know if there is a next page.
    func apply(to query: SQLSelectBuilder, idColumn: String = "id") -> SQLSelectBuilder {
        var query = query
        let newest = order == .newest
        if let afterId {
            query = query.where(SQLIdentifier(idColumn), newest ? .lessThan : .greaterThan, SQLBind(afterId))
        }
        return query.orderBy(idColumn, newest ? .descending : .ascending).limit(limit + 1)
    }

    func page<Item>(_ fetched: [Item], id: (Item) -> String) -> Page<Item> {
        guard fetched.count > limit else { return Page(items: fetched, nextCursor: nil) }
        let items = Array(fetched.prefix(limit))
        return Page(items: items, nextCursor: items.last.map { Self.encode(id($0)) })
    }
}

extension PageRequest {
    /// Walks a whole list a page at a time (the largest pages), handing each page's items to
    /// `body` — for exports and other work over everything that must not hold it all at once.
    public static func forEachPage<Item>(
        _ fetch: (PageRequest) async throws -> Page<Item>,
        _ body: ([Item]) async throws -> Void
    ) async throws {
        var page = PageRequest(limit: maxLimit)
        while true {
            let result = try await fetch(page)
            try await body(result.items)
            guard let next = result.nextCursor, let afterId = decode(next) else { return }
            page = PageRequest(afterId: afterId, limit: maxLimit)
        }
    }

    /// Every item of a list, all pages.
    public static func all<Item>(_ fetch: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        try await forEachPage(fetch) { items += $0 }
        return items
    }
}
