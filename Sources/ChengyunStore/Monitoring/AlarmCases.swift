import ChengyunCore
import Foundation

/// Monitoring feeds the case loop: when a rule names a matter, each alarm it raises is reported
/// as a case through the machine channel (duplicate merge applies as to any report), with the
/// alarm as its evidence, and the alarm is linked to the case. Clearing the alarm does not close
/// the case; the loop does. A report that cannot be made (the device lies outside the grid, the
/// matter is gone) is noted on the alarm.
struct AlarmCases {
    let platform: Platform

    func open(for alarms: [Alarm]) async {
        for alarm in alarms {
            guard let rule = await rule(alarm.ruleId), let matterCode = rule.matterCode else { continue }
            let description =
                "【设备告警 / device alarm】\(alarm.ruleName)：\(alarm.detail)（设备 \(alarm.deviceCode)，告警 \(alarm.id)，"
                + "\(EpochMillis.iso8601(alarm.raisedAt))）"
            var caseId: String?
            var failure: String?
            do {
                let outcome = try await platform.cases.report(
                    NewReport(
                        matterCode: matterCode, description: description, lon: alarm.lon, lat: alarm.lat,
                        urgency: alarm.severity >= .orange ? .urgent : .normal, customFields: rule.caseFields,
                        source: .machine,
                        reporterName: "运行监测 \(alarm.deviceCode)"),
                    by: .system)
                caseId = outcome.mergedInto?.id ?? outcome.case.id
            } catch let error as DomainError {
                failure = "\(error.code): \(error.message)" + error.issues.map { " \($0.field) \($0.message)" }.joined()
            } catch {
                // The real reason (a database error's own words), secrets masked, kept short.
                failure = String(loggedError(error).prefix(300))
            }
            // Linking can only fail with the database gone; the alarm then simply stays unlinked.
            _ = try? await platform.alarms.link(
                alarmId: alarm.id, caseId: caseId, failure: failure, by: .system)
        }
    }

    private func rule(_ id: String) async -> AlarmRule? {
        try? await platform.pool.read { try await AlarmRuleRepository().find(id: id, on: $0) }
    }
}
