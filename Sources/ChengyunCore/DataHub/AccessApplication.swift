import Foundation

/// An application for access to a dataset (共享申请, the exchange's 授权/审批): a department, or a
/// system outside the departments, asks for some of a published dataset's fields for a purpose and
/// a time. The owner department approves it, and for conditional sharing the operation centre
/// after it; approved, it is a grant the consumer reads by (with a scoped key for its systems),
/// within a rate and a daily quota, until it expires or is revoked.
public struct AccessApplication: Codable, Equatable, Sendable {
    public var id: String
    public var datasetId: String
    public var datasetCode: String
    /// The consuming department; nil when the centre applies for a system of its own.
    public var departmentId: String?
    /// Who consumes, as people read it: the department's name (or the centre's).
    public var consumer: String
    /// The system that will hold the key, where one will.
    public var system: String?
    public var purpose: String
    /// The fields granted, in the dataset's order; the consumer reads these and no others.
    public var fields: [String]
    /// How long the access lasts once approved.
    public var days: Int
    public var ratePerMinute: Int
    public var dailyQuota: Int
    /// Who approves, in turn.
    public var stages: [AccessStage]
    public var state: AccessState
    public var decisions: [AccessDecision]
    public var applicantId: String
    public var appliedAt: Int64
    public var approvedAt: Int64?
    public var expiresAt: Int64?
    /// The public part of the key last issued for the grant (the secret is shown once).
    public var keyPrefix: String?
    /// Why it was rejected or revoked.
    public var closingNote: String?
    public var updatedAt: Int64

    /// The stage whose decision the application awaits, nil unless pending.
    public var awaiting: AccessStage? {
        guard state == .pending else { return nil }
        let approvals = decisions.filter { $0.action == .approve }.count
        return approvals < stages.count ? stages[approvals] : nil
    }

    /// Whether the consumer may read by it at `now`: approved and not yet expired.
    public func isActive(at now: Int64) -> Bool {
        state == .approved && (expiresAt ?? .max) > now
    }

    public init(
        id: String, datasetId: String, datasetCode: String, departmentId: String?, consumer: String,
        system: String?, terms: AccessTerms, stages: [AccessStage], applicantId: String, appliedAt: Int64
    ) {
        (self.id, self.datasetId, self.datasetCode) = (id, datasetId, datasetCode)
        (self.departmentId, self.consumer, self.system) = (departmentId, consumer, system)
        (self.purpose, self.fields, self.days) = (terms.purpose, terms.fields, terms.days)
        (self.ratePerMinute, self.dailyQuota) = (terms.ratePerMinute, terms.dailyQuota)
        (self.stages, self.state, self.decisions) = (stages, .pending, [])
        (self.applicantId, self.appliedAt, self.updatedAt) = (applicantId, appliedAt, appliedAt)
    }
}

/// Whose decision an application waits for.
public enum AccessStage: String, Codable, CaseIterable, Sendable {
    /// The department that owns the dataset (or the centre, for the platform's own).
    case owner
    /// The operation centre, after the owner, for conditional sharing.
    case centre
}

public enum AccessState: String, Codable, CaseIterable, Sendable {
    case pending, approved, rejected, withdrawn, revoked
}

public enum AccessAction: String, Codable, CaseIterable, Sendable {
    /// The awaited stage agrees (the last agreement approves the application).
    case approve
    /// The awaited stage refuses, saying why.
    case reject
    /// The consumer takes back a pending application.
    case withdraw
    /// An approved grant ends early: by the owner or the centre (saying why), or given up by the
    /// consumer.
    case revoke
}

/// One decision on an application.
public struct AccessDecision: Codable, Equatable, Sendable {
    public var stage: AccessStage?
    public var action: AccessAction
    public var by: String
    public var at: Int64
    public var note: String?

    public init(stage: AccessStage?, action: AccessAction, by: String, at: Int64, note: String?) {
        (self.stage, self.action, self.by, self.at, self.note) = (stage, action, by, at, note)
    }
}

/// What a consumer asks for: the purpose, the fields, how long, how fast and how much a day.
public struct AccessTerms: Codable, Equatable, Sendable {
    public var purpose: String
    public var fields: [String]
    public var days: Int
    public var ratePerMinute: Int
    public var dailyQuota: Int

    /// The longest a grant lasts; a consumer applies again after it.
    public static let maxDays = 365
    public static let maxRatePerMinute = 600
    public static let maxDailyQuota = 1_000_000

    public init(purpose: String, fields: [String], days: Int, ratePerMinute: Int = 60, dailyQuota: Int = 10_000) {
        (self.purpose, self.fields, self.days) = (purpose, fields, days)
        (self.ratePerMinute, self.dailyQuota) = (ratePerMinute, dailyQuota)
    }

    /// The problems with these terms for `dataset`: the fields must be its own, named once.
    public func issues(for dataset: Dataset) -> [FieldIssue] {
        var validator = Validator()
        let trimmed = purpose.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check(!trimmed.isEmpty, "purpose", "required", "Say what the data is for.")
        validator.check(purpose.count <= 1000, "purpose", "too_long", "At most 1000 characters.")
        validator.check(!fields.isEmpty, "fields", "required", "Name the fields you need.")
        validator.check(Set(fields).count == fields.count, "fields", "duplicate_field", "Name each field once.")
        // The record key is the cursor of a page: a consumer is granted it, or the cursor would tell it.
        let keys = dataset.fields.filter(\.key).map(\.name)
        validator.check(
            keys.allSatisfy(fields.contains), "fields", "key_required",
            "The record key (\(keys.joined(separator: ", "))) is among the fields granted.")
        let known = Set(dataset.fields.map(\.name))
        validator.check(
            dataset.service == nil || Set(fields) == known, "fields", "whole_service",
            "A service's answers are granted whole: name all its fields.")
        for field in fields where !known.contains(field) {
            validator.check(false, "fields", "unknown_field", "The dataset has no field \(field.prefix(60)).")
        }
        validator.check(
            (1...Self.maxDays).contains(days), "days", "invalid_value", "Access lasts 1 to \(Self.maxDays) days.")
        validator.check(
            (1...Self.maxRatePerMinute).contains(ratePerMinute), "ratePerMinute", "invalid_value",
            "1 to \(Self.maxRatePerMinute) requests a minute.")
        validator.check(
            (1...Self.maxDailyQuota).contains(dailyQuota), "dailyQuota", "invalid_value",
            "1 to \(Self.maxDailyQuota) requests a day.")
        return validator.issues
    }

    /// The fields in the dataset's own order.
    public func ordered(by dataset: Dataset) -> [String] {
        let wanted = Set(fields)
        return dataset.fields.map(\.name).filter { wanted.contains($0) }
    }
}
