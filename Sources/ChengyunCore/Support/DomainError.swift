import Foundation

/// One problem with one field of an input, reported back to the caller.
public struct FieldIssue: Error, Equatable, Sendable, Codable {
    public var field: String
    public var code: ErrorCode
    public var message: String
    public init(field: String, code: ErrorCode, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// A domain rule was broken. `code` is stable and goes into the API's problem document.
public struct DomainError: Error, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        case invalid, notFound, conflict, forbidden, unauthenticated, locked, tooLarge
        /// A rate or quota is used up (429); `retryAfterSeconds` says when to try again.
        case tooMany
        /// A service the platform called on the caller's behalf failed (502) or did not answer in
        /// time (504).
        case badGateway, gatewayTimeout
    }
    public var kind: Kind
    public var code: ErrorCode
    public var message: String
    public var issues: [FieldIssue]
    public var retryAfterSeconds: Int?
    /// Where a reader refused may go on from (a feed's cursor past changes pruned away).
    public var nextCursor: String?

    public init(_ kind: Kind, code: ErrorCode, _ message: String, issues: [FieldIssue] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.issues = issues
    }

    public static func validation(_ issues: [FieldIssue]) -> DomainError {
        DomainError(.invalid, code: .validationFailed, "The input is not valid.", issues: issues)
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: .notFound, "\(what) was not found.")
    }

    public static func outOfScope() -> DomainError {
        DomainError(.forbidden, code: .outOfScope, "This record lies outside your area scope.")
    }
}

/// A rule's refusal as a pure decision returns it: the service throws it as a `DomainError`.
public protocol RuleRefusal: Error {
    var kind: DomainError.Kind { get }
    var code: ErrorCode { get }
    var message: String { get }
}

extension DomainError {
    public init(_ refusal: some RuleRefusal) {
        self.init(refusal.kind, code: refusal.code, refusal.message)
    }
}

/// Collects field issues while a value is checked, then throws them all at once.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []
    public init() {}

    public mutating func check(_ condition: Bool, _ field: String, _ code: ErrorCode, _ message: String) {
        if !condition { issues.append(FieldIssue(field: field, code: code, message: message)) }
    }

    public mutating func add(_ issue: FieldIssue) { issues.append(issue) }

    public func finish() throws {
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }
}

extension Validator {
    /// A display name: present, at most 100 characters.
    public mutating func checkName(_ name: String, field: String = "name", max: Int = 100) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        check(!trimmed.isEmpty, field, "required", "\(field) may not be empty.")
        check(name.count <= max, field, "too_long", "\(field) has at most \(max) characters.")
    }
}
