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
        self.autoSuperviseAfterMinutes = autoSuperviseAfterMinutes
        self.orderDeadlineHours = orderDeadlineHours
        self.template = template
        self.deadlineWarningFraction = deadlineWarningFraction
        self.taskTemplate = taskTemplate
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
