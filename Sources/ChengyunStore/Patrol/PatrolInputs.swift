import ChengyunCore

/// POST /patrol-tasks: send an inspector round some cells by a deadline.
public struct NewPatrolTask: StrictInput {
    public var title: String
    public var checklist: [String]?
    /// Grid cells by id or code.
    public var cells: [String]
    public var inspectorId: String
    /// Epoch milliseconds.
    public var deadline: Int64
    public enum CodingKeys: String, CodingKey, CaseIterable { case title, checklist, cells, inspectorId, deadline }
    public typealias Fields = CodingKeys

    public init(title: String, checklist: [String]? = nil, cells: [String], inspectorId: String, deadline: Int64) {
        self.title = title
        self.checklist = checklist
        self.cells = cells
        self.inspectorId = inspectorId
        self.deadline = deadline
    }
}

/// POST /patrol-tasks/{id}/check-ins: the phone's position on site.
public struct NewPatrolCheckIn: StrictInput {
    public var lon: Double
    public var lat: Double
    public var note: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case lon, lat, note }
    public typealias Fields = CodingKeys

    public init(lon: Double, lat: Double, note: String? = nil) { (self.lon, self.lat, self.note) = (lon, lat, note) }
}

/// POST /patrol-tasks/{id}/complete and /cancel: a note (required when cells were left out or
/// the task is cancelled).
public struct PatrolTaskClosing: StrictInput {
    public var note: String?
    public enum CodingKeys: String, CodingKey, CaseIterable { case note }
    public typealias Fields = CodingKeys

    public init(note: String? = nil) { self.note = note }
}

/// A task with its check-ins and the supervision orders on it.
public struct PatrolTaskDetail: Codable, Sendable {
    public var task: PatrolTask
    public var checkIns: [PatrolCheckIn]
    public var orders: [SupervisionOrder]
}

/// An inspector a task can be given to: who, and the area they patrol.
public struct PatrolInspector: Codable, Sendable {
    public var id: String
    public var displayName: String
    public var areaId: String
    public var areaPath: String
}
