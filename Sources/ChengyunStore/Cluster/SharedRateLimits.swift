import ChengyunCore
import Crypto
import Foundation
import SQLKit

/// Per-key rate limits (logins, registrations, reports without an account): 0 when a call may go
/// ahead, otherwise milliseconds until it may.
public protocol RateLimits: Sendable {
    func take(key: String, perMinute: Int, at now: Int64) async throws -> Int64
}

/// Rate limits kept in the database, so that the nodes of a city count one address's or one
/// account's calls together rather than each allowing the whole limit (docs/domain.md §10).
///
/// A take is one statement: an upsert that does `TokenBucket.take`'s arithmetic on the stored row
/// (refill by the time passed, at most the capacity; one token taken when there is one; a changed
/// rate starts a full bucket) and returns what is left, so the row is locked for that statement
/// only and a crowd aimed at one key does not hold connections waiting on each other. Keys are
/// stored as SHA-256 digests: the table names no address, account or phone number. Rows idle long
/// enough to be full again are pruned (`prune`), a fresh row being the same as a full bucket.
public struct SharedRateLimits: RateLimits {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func take(key: String, perMinute: Int, at now: Int64) async throws -> Int64 {
        let rate = max(1, perMinute)
        // Whole numbers of our own making (never input), written into the statement as literals.
        let (r, n) = ("\(rate)", "\(now)")
        func real(_ sql: String) -> String { "CAST(\(sql) AS DOUBLE PRECISION)" }
        let old = "rate_buckets"
        let elapsed = "CASE WHEN \(n) > \(old).updated_at THEN \(n) - \(old).updated_at ELSE 0 END"
        let grown = "\(old).tokens + \(real(elapsed)) * \(real(r)) / \(real("60000"))"
        let refill =
            "CASE WHEN \(old).per_minute <> \(r) THEN \(real(r)) WHEN \(grown) < \(real(r)) THEN \(grown) ELSE \(real(r)) END"
        let row = try await pool.transaction { db in
            try await db.raw(
                """
                INSERT INTO rate_buckets (bucket_key, per_minute, tokens, updated_at, allowed)
                VALUES (\(bind: Self.digest(key)), \(unsafeRaw: r), \(unsafeRaw: real("\(rate - 1)")), \(unsafeRaw: n), TRUE)
                ON CONFLICT (bucket_key) DO UPDATE SET
                    tokens = CASE WHEN \(unsafeRaw: refill) >= 1 THEN \(unsafeRaw: refill) - 1 ELSE \(unsafeRaw: refill) END,
                    allowed = (\(unsafeRaw: refill) >= 1),
                    updated_at = CASE WHEN \(unsafeRaw: old).per_minute <> \(unsafeRaw: r) OR \(unsafeRaw: n) > \(unsafeRaw: old).updated_at
                        THEN \(unsafeRaw: n) ELSE \(unsafeRaw: old).updated_at END,
                    per_minute = \(unsafeRaw: r)
                RETURNING tokens, allowed
                """
            ).first()
        }
        guard let row, try row.decode(column: "allowed", as: Bool.self) == false else { return 0 }
        let tokens = try row.decode(column: "tokens", as: Double.self)
        return Int64(((1 - tokens) * 60_000 / Double(rate)).rounded(.up))
    }

    /// Buckets untouched since `before` (a minute ago refills any of them) go.
    public func prune(before: Int64) async throws {
        try await pool.transaction { db in
            try await db.delete(from: "rate_buckets").where("updated_at", .lessThan, before).run()
        }
    }

    static func digest(_ key: String) -> String { Hex.string(SHA256.hash(data: Data(key.utf8))) }
}
