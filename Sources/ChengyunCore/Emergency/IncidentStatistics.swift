/// Emergency statistics over a period (应急统计): how many incidents, at which levels and of which
/// types, how soon plans were activated, how fast tasks were taken up and how many were done on
/// time. Drills (演练) run the same plans and flow but are counted apart: they never enter the
/// real figures, and their own figures sit beside them.
public struct IncidentStatistics: Codable, Equatable, Sendable {
    public struct Figures: Codable, Equatable, Sendable {
        public var incidents = 0
        public var closed = 0
        /// Incidents by their (last) response level, `I`…`IV`; not activated ones are not counted here.
        public var byLevel: [String: Int] = [:]
        public var byType: [String: Int] = [:]
        /// Mean minutes from report to activation, over the activated incidents.
        public var meanMinutesToActivation: Double?
        public var tasksDone = 0
        public var tasksOnTime = 0
        /// Done on time over done; nil when none is done.
        public var onTimeRate: Double?
        /// Mean minutes from a task reaching its owners to their accepting it.
        public var meanResponseMinutes: Double?

        public init() {}
    }

    /// The period, epoch ms: incidents reported at or after `from` and before `to`.
    public var from: Int64
    public var to: Int64
    public var real: Figures
    public var drills: Figures

    /// The statistics of `incidents` (each with its review) reported within the period.
    public init(from: Int64, to: Int64, reviewed: [(incident: Incident, review: IncidentReview)]) {
        self.from = from
        self.to = to
        let within = reviewed.filter { $0.incident.reportedAt >= from && $0.incident.reportedAt < to }
        real = Self.figures(within.filter { !$0.incident.drill })
        drills = Self.figures(within.filter { $0.incident.drill })
    }

    static func figures(_ reviewed: [(incident: Incident, review: IncidentReview)]) -> Figures {
        var f = Figures()
        var activation: [Double] = []
        var responses: [Double] = []
        for (incident, review) in reviewed {
            f.incidents += 1
            if incident.status == .closed { f.closed += 1 }
            if let level = incident.level { f.byLevel[level.rawValue, default: 0] += 1 }
            f.byType[incident.incidentType, default: 0] += 1
            if let at = incident.activatedAt { activation.append(Double(at - incident.reportedAt) / 60_000) }
            f.tasksDone += review.tasksDone
            f.tasksOnTime += review.tasksOnTime
            responses += review.tasks.compactMap(\.responseMinutes)
        }
        f.meanMinutesToActivation = mean(activation)
        f.meanResponseMinutes = mean(responses)
        f.onTimeRate = f.tasksDone == 0 ? nil : Double(f.tasksOnTime) / Double(f.tasksDone)
        return f
    }

    private static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
