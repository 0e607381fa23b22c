import ChengyunCore
import SQLKit

/// Per-key rate limits (logins, registrations, reports without an account): 0 when a call may go
/// ahead, otherwise milliseconds until it may.
public protocol RateLimits: Sendable {
    func take(key: String, perMinute: Int, at now: Int64) async throws -> Int64
}

/// Rate limits kept in the database, so that the nodes of a city count one address's or one
/// account's calls together rather than each allowing the whole limit (docs/domain.md §10). A take
/// locks the key's row, does the bucket's arithmetic (`TokenBucket`) and writes it back, in one
/// transaction; rows idle long enough to be full again are pruned (`prune`), a fresh row being the
/// same as a full bucket.
public struct SharedRateLimits: RateLimits {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func take(key: String, perMinute: Int, at now: Int64) async throws -> Int64 {
        let perMinute = max(1, perMinute)
        return try await pool.transaction { db in
            try await db.raw(
                """
                INSERT INTO rate_buckets (bucket_key, per_minute, tokens, updated_at)
                VALUES (\(bind: key), \(bind: perMinute), \(bind: Double(perMinute)), \(bind: now))
                ON CONFLICT (bucket_key) DO NOTHING
                """
            ).run()
            // SQLite runs one writer at a time; PostgreSQL locks the row for this transaction.
            let lock = db.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            let row = try await db.raw(
                "SELECT per_minute, tokens, updated_at FROM rate_buckets WHERE bucket_key = \(bind: key)\(unsafeRaw: lock)"
            ).first()
            var bucket = TokenBucket(perMinute: perMinute, at: now)
            if let row, try row.decode(column: "per_minute", as: Int.self) == perMinute {
                bucket = TokenBucket(
                    perMinute: perMinute, tokens: try row.decode(column: "tokens", as: Double.self),
                    updatedAt: try row.decode(column: "updated_at", as: Int64.self))
            }
            let (allowed, retry) = bucket.take(at: now)
            try await db.update("rate_buckets").set("per_minute", to: perMinute).set("tokens", to: bucket.tokens)
                .set("updated_at", to: bucket.updatedAt).where("bucket_key", .equal, key).run()
            return allowed ? 0 : retry
        }
    }

    /// Buckets untouched since `before` (a minute ago refills any of them) go.
    public func prune(before: Int64) async throws {
        try await pool.transaction { db in
            try await db.delete(from: "rate_buckets").where("updated_at", .lessThan, before).run()
        }
    }
}
