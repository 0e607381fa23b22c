import ChengyunCore
import Foundation

/// An incident as its row: the scene as two columns, the source as kind and id, facts as JSON.
struct IncidentRow: Codable, Sendable {
    var id: String
    var number: String
    var title: String
    var incidentType: String
    var status: IncidentStatus
    var level: ResponseLevel?
    var planCode: String?
    var planVersion: Int?
    var headquarters: String?
    var commandAreaId: String?
    var commandAreaName: String?
    var lon: Double
    var lat: Double
    var address: String?
    var areaId: String
    var areaPath: String
    var sourceKind: IncidentSource.Kind?
    var sourceId: String?
    var facts: String
    var drill: Int64
    var reportEveryMinutes: Int
    var lastReportAt: Int64?
    var reportedBy: String
    var reportedAt: Int64
    var activatedAt: Int64?
    var closedAt: Int64?
    var summary: String?
    var updatedAt: Int64

    init(_ i: Incident) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        (id, number, title, incidentType, status, level) = (i.id, i.number, i.title, i.incidentType, i.status, i.level)
        (planCode, planVersion, headquarters, lon, lat) = (
            i.planCode, i.planVersion, i.headquarters, i.scene.lon, i.scene.lat
        )
        (commandAreaId, commandAreaName) = (i.commandAreaId, i.commandAreaName)
        (address, areaId, areaPath, sourceKind, sourceId) = (
            i.address, i.areaId, i.areaPath, i.source?.kind, i.source?.id
        )
        facts = String(decoding: try encoder.encode(i.facts), as: UTF8.self)
        (drill, reportEveryMinutes, lastReportAt) = (i.drill ? 1 : 0, i.reportEveryMinutes, i.lastReportAt)
        (reportedBy, reportedAt, activatedAt, closedAt) = (i.reportedBy, i.reportedAt, i.activatedAt, i.closedAt)
        (summary, updatedAt) = (i.summary, i.updatedAt)
    }

    func incident() throws -> Incident {
        var incident = Incident(
            id: id, number: number, title: title, incidentType: incidentType, status: status, level: level,
            planCode: planCode, planVersion: planVersion, headquarters: headquarters,
            scene: GeoPoint(lon: lon, lat: lat),
            address: address, areaId: areaId, areaPath: areaPath,
            source: sourceKind.flatMap { kind in sourceId.map { IncidentSource(kind: kind, id: $0) } },
            facts: try JSONDecoder().decode([String: Double].self, from: Data(facts.utf8)), drill: drill != 0,
            reportEveryMinutes: reportEveryMinutes, lastReportAt: lastReportAt, reportedBy: reportedBy,
            reportedAt: reportedAt, activatedAt: activatedAt, closedAt: closedAt, summary: summary, updatedAt: updatedAt
        )
        incident.commandAreaId = commandAreaId
        incident.commandAreaName = commandAreaName
        return incident
    }
}

/// A task as its row: owner departments and dependencies as JSON lists.
struct TaskRow: Codable, Sendable {
    var id: String
    var incidentId: String
    var stepCode: String
    var title: String
    var level: ResponseLevel
    var ownerGroup: String?
    var ownerName: String
    var departmentIds: String
    var dependsOn: String
    var status: IncidentTaskStatus
    var deadline: Int64
    var createdAt: Int64
    var assignedAt: Int64?
    var acceptedAt: Int64?
    var doneAt: Int64?
    var blockedReason: String?
    var updatedAt: Int64

    init(_ t: IncidentTask) throws {
        (id, incidentId, stepCode, title, level, ownerGroup) = (
            t.id, t.incidentId, t.stepCode, t.title, t.level, t.ownerGroup
        )
        ownerName = t.ownerName
        departmentIds = String(decoding: try JSONEncoder().encode(t.departmentIds), as: UTF8.self)
        dependsOn = String(decoding: try JSONEncoder().encode(t.dependsOn), as: UTF8.self)
        (status, deadline, createdAt, assignedAt, acceptedAt) = (
            t.status, t.deadline, t.createdAt, t.assignedAt, t.acceptedAt
        )
        (doneAt, blockedReason, updatedAt) = (t.doneAt, t.blockedReason, t.updatedAt)
    }

    func task() throws -> IncidentTask {
        IncidentTask(
            id: id, incidentId: incidentId, stepCode: stepCode, title: title, level: level, ownerGroup: ownerGroup,
            ownerName: ownerName,
            departmentIds: try JSONDecoder().decode([String].self, from: Data(departmentIds.utf8)),
            dependsOn: try JSONDecoder().decode([String].self, from: Data(dependsOn.utf8)), status: status,
            deadline: deadline, createdAt: createdAt, assignedAt: assignedAt, acceptedAt: acceptedAt, doneAt: doneAt,
            blockedReason: blockedReason, updatedAt: updatedAt)
    }
}
