/// A patrol task (巡查任务): an inspector is sent round a set of grid cells with a checklist, by a
/// deadline. Each cell is checked in on site with the phone's position; the task is done when the
/// inspector finishes it, and its coverage is the share of its cells checked in.
public struct PatrolTask: Codable, Equatable, Sendable {
    public enum State: String, Codable, CaseIterable, Sendable {
        case assigned, inProgress, done, cancelled

        public var isOpen: Bool { self == .assigned || self == .inProgress }
    }

    public var id: String
    /// XC + local date + daily sequence, e.g. XC20261122001.
    public var number: String
    public var title: String
    /// What to look at in every cell (merged from the departments' checklists).
    public var checklist: [String]
    public var cellIds: [String]
    /// The deepest area holding every cell; scope checks use it.
    public var areaPath: String
    public var inspectorId: String
    public var inspectorName: String
    public var createdBy: String
    public var createdAt: Int64
    public var deadline: Int64
    public var state: State
    public var startedAt: Int64?
    public var completedAt: Int64?
    public var note: String?
    /// The cells checked in so far (filled from the check-ins when read).
    public var checkedCellIds: [String]

    public init(
        id: String, number: String, title: String, checklist: [String], cellIds: [String], areaPath: String,
        inspectorId: String,
        inspectorName: String, createdBy: String, createdAt: Int64, deadline: Int64, state: State = .assigned,
        checkedCellIds: [String] = []
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.checklist = checklist
        self.cellIds = cellIds
        self.areaPath = areaPath
        self.inspectorId = inspectorId
        self.inspectorName = inspectorName
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.deadline = deadline
        self.state = state
        self.checkedCellIds = checkedCellIds
    }

    /// Share of the task's cells checked in, 0…1.
    public var coverage: Double {
        cellIds.isEmpty ? 0 : Double(Set(checkedCellIds).intersection(cellIds).count) / Double(cellIds.count)
    }

    /// Finished by its deadline (nil while open or when cancelled).
    public var onTime: Bool? {
        guard state == .done, let completedAt else { return nil }
        return completedAt <= deadline
    }

    /// How near its deadline an open task is at `now`, by wall time from its creation: yellow from
    /// `warningFraction` of the allowed time, red once past the deadline.
    public func level(at now: Int64, warningFraction: Double) -> ClockLevel {
        guard state.isOpen else { return .normal }
        return ClockLevel(
            fractionUsed: Double(now - createdAt) / Double(max(1, deadline - createdAt)),
            warningThreshold: warningFraction)
    }

    /// The deepest area path shared by all the given paths (`/a/b/` and `/a/c/` → `/a/`).
    public static func commonPath(_ paths: [String]) -> String {
        guard var common = paths.first?.split(separator: "/", omittingEmptySubsequences: true) else { return "/" }
        for path in paths.dropFirst() {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            common = Array(zip(common, parts).prefix { $0 == $1 }.map(\.0))
        }
        return common.isEmpty ? "/" : "/" + common.joined(separator: "/") + "/"
    }

    enum CodingKeys: String, CodingKey {
        case id, number, title, checklist, cellIds, areaPath, inspectorId, inspectorName, createdBy, createdAt,
            deadline, state, startedAt,
            completedAt, note, checkedCellIds, coverage, onTime
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(String.self, forKey: .id), number: try c.decode(String.self, forKey: .number),
            title: try c.decode(String.self, forKey: .title),
            checklist: try c.decode([String].self, forKey: .checklist),
            cellIds: try c.decode([String].self, forKey: .cellIds),
            areaPath: try c.decode(String.self, forKey: .areaPath),
            inspectorId: try c.decode(String.self, forKey: .inspectorId),
            inspectorName: try c.decode(String.self, forKey: .inspectorName),
            createdBy: try c.decode(String.self, forKey: .createdBy),
            createdAt: try c.decode(Int64.self, forKey: .createdAt),
            deadline: try c.decode(Int64.self, forKey: .deadline), state: try c.decode(State.self, forKey: .state),
            checkedCellIds: try c.decode([String].self, forKey: .checkedCellIds))
        startedAt = try c.decodeIfPresent(Int64.self, forKey: .startedAt)
        completedAt = try c.decodeIfPresent(Int64.self, forKey: .completedAt)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(number, forKey: .number); try c.encode(title, forKey: .title)
        try c.encode(checklist, forKey: .checklist); try c.encode(cellIds, forKey: .cellIds);
        try c.encode(areaPath, forKey: .areaPath)
        try c.encode(inspectorId, forKey: .inspectorId); try c.encode(inspectorName, forKey: .inspectorName)
        try c.encode(createdBy, forKey: .createdBy); try c.encode(createdAt, forKey: .createdAt);
        try c.encode(deadline, forKey: .deadline)
        try c.encode(state, forKey: .state); try c.encodeIfPresent(startedAt, forKey: .startedAt)
        try c.encodeIfPresent(completedAt, forKey: .completedAt); try c.encodeIfPresent(note, forKey: .note)
        try c.encode(checkedCellIds, forKey: .checkedCellIds); try c.encode(coverage, forKey: .coverage)
        try c.encodeIfPresent(onTime, forKey: .onTime)
    }
}

/// One on-site check-in of a patrol task: the cell the phone's position fell in.
public struct PatrolCheckIn: Codable, Equatable, Sendable {
    public var id: String
    public var taskId: String
    public var cellId: String
    public var cellCode: String
    public var lon: Double
    public var lat: Double
    public var at: Int64
    public var by: String
    public var note: String?

    public init(
        id: String, taskId: String, cellId: String, cellCode: String, lon: Double, lat: Double, at: Int64, by: String,
        note: String?
    ) {
        (self.id, self.taskId, self.cellId, self.cellCode, self.lon, self.lat, self.at, self.by, self.note) =
            (id, taskId, cellId, cellCode, lon, lat, at, by, note)
    }
}
