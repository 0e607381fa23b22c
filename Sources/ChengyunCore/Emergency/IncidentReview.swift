/// The post-incident review (复盘评估): for each task, how long its owners took to accept it
/// after it reached them, when it was done against its deadline; and the resources the response
/// asked for and got.
public struct IncidentReview: Codable, Equatable, Sendable {
    public struct TaskLine: Codable, Equatable, Sendable {
        public var stepCode: String
        public var title: String
        public var ownerName: String
        public var level: ResponseLevel
        public var status: IncidentTaskStatus
        public var deadline: Int64
        /// Minutes from assignment to acceptance.
        public var responseMinutes: Double?
        /// Minutes from activation to done.
        public var completionMinutes: Double?
        /// Done by its deadline; nil while not done (or cancelled).
        public var onTime: Bool?
    }

    public struct ResourceLine: Codable, Equatable, Sendable {
        public var kind: ResourceKind
        public var capability: String?
        public var requested: Int
        public var assigned: Int
    }

    public var incidentId: String
    public var number: String
    public var drill: Bool
    public var level: ResponseLevel?
    public var activatedAt: Int64?
    public var closedAt: Int64?
    public var tasks: [TaskLine]
    public var resources: [ResourceLine]
    public var tasksDone: Int
    public var tasksOnTime: Int
    /// Done on time over tasks done; nil when none is done.
    public var onTimeRate: Double?
    public var meanResponseMinutes: Double?

    public init(incident: Incident, tasks: [IncidentTask], requests: [ResourceRequest]) {
        let activated = incident.activatedAt
        func minutes(_ from: Int64?, _ to: Int64?) -> Double? {
            guard let from, let to else { return nil }
            return Double(to - from) / 60_000
        }
        let lines = tasks.filter { $0.status != .cancelled }.sorted {
            ($0.deadline, $0.stepCode) < ($1.deadline, $1.stepCode)
        }
        .map { task in
            TaskLine(
                stepCode: task.stepCode, title: task.title, ownerName: task.ownerName, level: task.level,
                status: task.status, deadline: task.deadline,
                responseMinutes: minutes(task.assignedAt, task.acceptedAt),
                completionMinutes: minutes(activated, task.doneAt), onTime: task.doneAt.map { $0 <= task.deadline })
        }
        var needs: [String: ResourceLine] = [:]
        for request in requests {
            let key = request.kind.rawValue + "/" + (request.capability ?? "")
            needs[
                key,
                default: ResourceLine(kind: request.kind, capability: request.capability, requested: 0, assigned: 0)
            ]
            .requested += request.quantity
            needs[key]?.assigned += request.assigned
        }
        let done = lines.filter { $0.onTime != nil }
        let responses = lines.compactMap(\.responseMinutes)
        self.incidentId = incident.id
        self.number = incident.number
        self.drill = incident.drill
        self.level = incident.level
        self.activatedAt = incident.activatedAt
        self.closedAt = incident.closedAt
        self.tasks = lines
        self.resources = needs.keys.sorted().compactMap { needs[$0] }
        self.tasksDone = done.count
        self.tasksOnTime = done.filter { $0.onTime == true }.count
        self.onTimeRate = done.isEmpty ? nil : Double(tasksOnTime) / Double(done.count)
        self.meanResponseMinutes = responses.isEmpty ? nil : responses.reduce(0, +) / Double(responses.count)
    }
}
