import Foundation

/// A case's step as a subscription to topic `case` hears it: which case, what was done and by what
/// kind of actor, the state it left and the one it entered, where, which departments hold it and
/// by when. Never who reported it, their contact, the words they wrote, anyone's name or note: a
/// webhook leaves the platform, and whoever reads it looks the case up by its number with their
/// own rights. A person's report (a citizen, a 12345 caller, a walk-in) travels without its point,
/// which may be where they live: its grid cell and area say where. Steps of one case made in the
/// same millisecond may arrive in either order; `seq` orders them.
public struct CaseChange: Codable, Equatable, Sendable {
    public var caseId: String
    public var number: String
    /// The history line's number within the case (1 is the report); a receiver applies each once.
    public var seq: Int
    public var action: String
    public var fromState: CaseState?
    public var toState: CaseState
    /// `staff`, `citizen`, `key`, or `system` for the platform's own steps (auto-dispatch):
    /// the kind, not the person.
    public var actorKind: String
    public var matterCode: String
    public var urgency: Urgency
    public var source: CaseSource
    public var areaPath: String
    public var gridCellId: String?
    /// The point, when staff or a machine found the problem (`CaseSource.inspector`, `.machine`).
    public var lon: Double?
    public var lat: Double?
    public var departmentIds: [String]
    public var stageDeadline: Int64?
    public var caseDeadline: Int64?
    /// The open case a merged report repeats.
    public var duplicateOf: String?
    public var at: Int64

    /// The step `event` recorded, with `record` as it stands after it.
    public init(_ record: Case, step event: CaseEvent) {
        (caseId, number, seq, action) = (record.id, record.number, event.seq, event.action)
        (fromState, toState) = (event.fromState, event.toState)
        actorKind = event.actorId == Principal.system.id ? "system" : event.actorKind
        (matterCode, urgency, source) = (record.matterCode, record.urgency, record.source)
        (areaPath, gridCellId) = (record.areaPath, record.gridCellId)
        let found = [.inspector, .machine].contains(record.source)
        (lon, lat) = found ? (record.lon, record.lat) : (nil, nil)
        (departmentIds, stageDeadline, caseDeadline) = (record.departmentIds, record.stageDeadline, record.caseDeadline)
        (duplicateOf, at) = (record.duplicateOf, event.at)
    }
}
