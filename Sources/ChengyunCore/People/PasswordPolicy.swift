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
        validator.check(password.count >= minLength, field, "password_too_short",
                        "A password has at least \(minLength) characters.")
        validator.check(password.count <= 128, field, "password_too_long", "A password has at most 128 characters.")
        var classes = 0
        if password.contains(where: { $0.isLowercase }) { classes += 1 }
        if password.contains(where: { $0.isUppercase }) { classes += 1 }
        if password.contains(where: { $0.isNumber }) { classes += 1 }
        if password.contains(where: { !$0.isLetter && !$0.isNumber }) { classes += 1 }
        validator.check(classes >= minClasses, field, "password_too_simple",
                        "A password mixes at least \(minClasses) of: lower case, upper case, digits, symbols.")
        validator.check(password.lowercased() != username.lowercased(), field, "password_is_username",
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

    /// After a failed attempt: the new failure count, and the lock end if this failure locks.
    public func afterFailure(previousFailures: Int, now: Int64) -> (failures: Int, lockedUntil: Int64?) {
        let failures = previousFailures + 1
        return failures >= maxFailures ? (0, now + lockMillis) : (failures, nil)
    }
}
