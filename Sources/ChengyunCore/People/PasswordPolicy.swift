/// Password rules (等保 2.0 expects length and complexity). Configurable.
public struct PasswordPolicy: Sendable, Equatable, Codable {
    public var minLength: Int
    /// How many of the four classes (lower, upper, digit, symbol) a password must mix.
    public var minClasses: Int

    public init(minLength: Int = 8, minClasses: Int = 3) {
        self.minLength = minLength
        self.minClasses = minClasses
    }

    public func issues(password: String, username: String, field: String = "password") -> [FieldIssue] {
        var validator = Validator()
        validator.check(
            password.count >= minLength, field, "password_too_short",
            "A password has at least \(minLength) characters.")
        validator.check(password.count <= 128, field, "password_too_long", "A password has at most 128 characters.")
        var classes = 0
        if password.contains(where: { $0.isLowercase }) { classes += 1 }
        if password.contains(where: { $0.isUppercase }) { classes += 1 }
        if password.contains(where: { $0.isNumber }) { classes += 1 }
        if password.contains(where: { !$0.isLetter && !$0.isNumber }) { classes += 1 }
        validator.check(
            classes >= minClasses, field, "password_too_simple",
            "A password mixes at least \(minClasses) of: lower case, upper case, digits, symbols.")
        validator.check(
            password.lowercased() != username.lowercased(), field, "password_is_username",
            "A password may not equal the username.")
        return validator.issues
    }
}

/// Lockout after repeated failures. Configurable.
public struct LockoutPolicy: Sendable, Equatable, Codable {
    public var maxFailures: Int
    public var lockMillis: Int64

    public init(maxFailures: Int = 5, lockMillis: Int64 = 15 * 60 * 1000) {
        self.maxFailures = maxFailures
        self.lockMillis = lockMillis
    }

    /// Whether an account whose lock runs to `lockedUntil` is locked at `now`.
    public func isLocked(_ lockedUntil: Int64?, at now: Int64) -> Bool {
        (lockedUntil ?? .min) > now
    }

    /// The end of the lock that `failures` failed attempts in a row earn, nil while under the
    /// limit. The store counts failures atomically and never counts one while the account is
    /// locked, so a lock is never cleared by a failure nor shortened by guesses in flight.
    public func lock(afterFailures failures: Int, now: Int64) -> Int64? {
        failures >= maxFailures ? now + lockMillis : nil
    }

    /// What a login attempt comes to, once the password has been checked and the account's
    /// state re-read inside the transaction that records the attempt.
    public func decide(passwordValid: Bool, lockedUntil: Int64?, now: Int64) -> LoginDecision {
        if isLocked(lockedUntil, at: now) { return .refusedWhileLocked }
        return passwordValid ? .accepted : .failed
    }
}

/// The outcome of one login attempt. A right password while locked is refused like a wrong one.
public enum LoginDecision: Sendable, Equatable {
    case accepted
    case failed
    case refusedWhileLocked
}
