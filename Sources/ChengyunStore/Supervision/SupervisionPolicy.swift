import ChengyunCore
import Logging

/// When supervision starts by itself and what its letters say (an administrator's setting).
public struct SupervisionPolicy: Codable, Equatable, Sendable {
    /// A stage overdue by more than this (wall minutes) gets an automatic supervision order.
    public var autoSuperviseAfterMinutes: Int
    /// How long a supervision order gives to respond, in hours.
    public var orderDeadlineHours: Int
    public var template: LetterTemplate

    public init(autoSuperviseAfterMinutes: Int = 240, orderDeadlineHours: Int = 24, template: LetterTemplate = .standard) {
        (self.autoSuperviseAfterMinutes, self.orderDeadlineHours, self.template) = (autoSuperviseAfterMinutes, orderDeadlineHours, template)
    }

    public func validate() throws {
        var validator = Validator()
        validator.check(autoSuperviseAfterMinutes >= 0, "autoSuperviseAfterMinutes", "invalid_value", "Zero or more minutes.")
        validator.check((1...720).contains(orderDeadlineHours), "orderDeadlineHours", "invalid_value", "1 to 720 hours.")
        try validator.finish()
        _ = try template.fields()
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
        logger.info("reminder", metadata: ["to": "\(recipients.joined(separator: ","))", "subject": "\(subject)", "text": "\(text)"])
    }
}

/// POST /supervision-orders: a leader's order on a case.
public struct NewSupervisionOrder: StrictInput {
    /// The case, by id or number.
    public var caseId: String
    public var note: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case caseId, note }
    public typealias Fields = CodingKeys
}

/// POST /supervision-orders/{id}/response.
public struct SupervisionResponse: StrictInput {
    public var response: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case response }
    public typealias Fields = CodingKeys
}

extension SupervisionPolicy: StrictInput {
    public enum CodingKeys: String, CodingKey, CaseIterable { case autoSuperviseAfterMinutes, orderDeadlineHours, template }
    public typealias Fields = CodingKeys
}
