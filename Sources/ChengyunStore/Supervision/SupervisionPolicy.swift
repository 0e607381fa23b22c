import ChengyunCore
import Logging

/// When supervision starts by itself and what its letters say (an administrator's setting).
public struct SupervisionPolicy: Codable, Equatable, Sendable {
    /// A stage overdue by more than this (wall minutes) gets an automatic supervision order.
    public var autoSuperviseAfterMinutes: Int
    /// How long a supervision order gives to respond, in hours.
    public var orderDeadlineHours: Int
    public var template: LetterTemplate
    /// A patrol task or an unanswered supervision order warns yellow once this share of its time
    /// (issue to deadline) has passed.
    public var deadlineWarningFraction: Double
    /// The letter of an order on an overdue patrol task.
    public var taskTemplate: LetterTemplate

    public init(
        autoSuperviseAfterMinutes: Int = 240, orderDeadlineHours: Int = 24, template: LetterTemplate = .standard,
        deadlineWarningFraction: Double = 0.8, taskTemplate: LetterTemplate = .patrolStandard
    ) {
        (self.autoSuperviseAfterMinutes, self.orderDeadlineHours, self.template) = (
            autoSuperviseAfterMinutes, orderDeadlineHours, template
        )
        (self.deadlineWarningFraction, self.taskTemplate) = (deadlineWarningFraction, taskTemplate)
    }

    /// Fields added later default, so a policy saved before them still reads.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            autoSuperviseAfterMinutes: try c.decode(Int.self, forKey: .autoSuperviseAfterMinutes),
            orderDeadlineHours: try c.decode(Int.self, forKey: .orderDeadlineHours),
            template: try c.decode(LetterTemplate.self, forKey: .template),
            deadlineWarningFraction: try c.decodeIfPresent(Double.self, forKey: .deadlineWarningFraction) ?? 0.8,
            taskTemplate: try c.decodeIfPresent(LetterTemplate.self, forKey: .taskTemplate) ?? .patrolStandard)
    }

    public func validate() throws {
        var validator = Validator()
        validator.check(
            autoSuperviseAfterMinutes >= 0, "autoSuperviseAfterMinutes", "invalid_value", "Zero or more minutes.")
        validator.check(
            (1...720).contains(orderDeadlineHours), "orderDeadlineHours", "invalid_value", "1 to 720 hours.")
        validator.check(
            deadlineWarningFraction > 0 && deadlineWarningFraction <= 1, "deadlineWarningFraction", "invalid_value",
            "More than 0, at most 1.")
        try validator.finish()
        _ = try template.fields()
        _ = try taskTemplate.fields()
    }
}

/// How people are reminded beyond the in-app lists and the live stream: an SMS gateway or e-mail
/// would implement this; the default writes each reminder to the log.
public protocol Notifier: Sendable {
    func notify(recipients: [String], subject: String, text: String) async
}

public struct LogNotifier: Notifier {
    let logger: Logger
    public init(logger: Logger = Logger(label: "chengyun.notify")) { self.logger = logger }

    public func notify(recipients: [String], subject: String, text: String) async {
        logger.info(
            "reminder",
            metadata: ["to": "\(recipients.joined(separator: ","))", "subject": "\(subject)", "text": "\(text)"])
    }
}

/// POST /supervision-orders: a leader's order on a case or a patrol task (one of the two).
public struct NewSupervisionOrder: StrictInput {
    /// The case, by id or number.
    public var caseId: String?
    /// The patrol task, by id or number.
    public var taskId: String?
    public var note: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case caseId, taskId, note }
    public typealias Fields = CodingKeys

    public init(caseId: String? = nil, taskId: String? = nil, note: String? = nil) {
        (self.caseId, self.taskId, self.note) = (caseId, taskId, note)
    }
}

/// POST /supervision-orders/{id}/response.
public struct SupervisionResponse: StrictInput {
    public var response: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case response }
    public typealias Fields = CodingKeys
}

extension SupervisionPolicy: StrictInput {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case autoSuperviseAfterMinutes, orderDeadlineHours, template, deadlineWarningFraction, taskTemplate
    }
    public typealias Fields = CodingKeys
}
