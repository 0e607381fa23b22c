import ChengyunCore
import SQLKit

/// The failed-login count and lock of an account (a row of `users` or `citizens`), kept so that
/// guesses sent in parallel cannot wear the lock down: a failure is counted by one UPDATE that
/// adds to the stored count and holds the row until its transaction ends (PostgreSQL's row lock;
/// SQLite's single writer), a failure is never counted while the account is locked, and no
/// failure ever clears a lock.
struct LoginAttempts: Sendable {
    enum Table: String, Sendable { case users, citizens }
    let table: Table

    /// The account's lock end, read inside the caller's transaction.
    func lockedUntil(id: String, on db: any SQLDatabase) async throws -> Int64? {
        try await db.select().column("locked_until").from(table.rawValue).where("id", .equal, id).first()?
            .decode(column: "locked_until", as: Int64?.self)
    }

    /// What counting a failure came to.
    enum Counted: Equatable {
        /// Counted; the account stays open.
        case counted
        /// This failure reached the limit and locked the account until then.
        case lockedNow(until: Int64)
        /// Another attempt locked the account first (it was in flight beside this one): not counted.
        case alreadyLocked
    }

    /// Counts one failed attempt unless the account is locked at `now`, and locks it when the
    /// count reaches the policy's limit.
    func countFailure(id: String, policy: LockoutPolicy, now: Int64, on db: any SQLDatabase) async throws -> Counted {
        let counted = try await db.raw(
            """
            UPDATE \(ident: table.rawValue) SET failed_attempts = failed_attempts + 1
            WHERE id = \(bind: id) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING failed_attempts
            """
        ).first()
        guard let counted else { return .alreadyLocked }
        let failures = try counted.decode(column: "failed_attempts", as: Int.self)
        guard let until = policy.lock(afterFailures: failures, now: now) else { return .counted }
        // The count starts over, so the account has its full allowance once the lock has run out.
        try await db.update(table.rawValue).set("failed_attempts", to: 0).set("locked_until", to: until)
            .where("id", .equal, id).run()
        return .lockedNow(until: until)
    }

    /// A successful login: the count and any spent lock are cleared — unless a lock committed
    /// by a guess in flight beside this attempt holds now (PostgreSQL re-reads the row after
    /// waiting for its lock). Returns whether the login may go ahead.
    func succeeded(id: String, at now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let lastLogin = table == .users ? ", last_login_at = \(now)" : ""
        return try await db.raw(
            """
            UPDATE \(ident: table.rawValue) SET failed_attempts = 0, locked_until = NULL\(unsafeRaw: lastLogin)
            WHERE id = \(bind: id) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """
        ).first() != nil
    }
}
