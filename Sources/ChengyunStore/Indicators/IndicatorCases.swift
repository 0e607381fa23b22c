import ChengyunCore
import Foundation

/// An indicator whose case rule a warning reaches opens a case through the machine channel, once
/// per warning, placed in the area at the cell nearest the middle of its cells. The warning keeps
/// the case's id; a report that cannot be made is logged on the warning's detail instead.
struct IndicatorCases {
    let platform: Platform

    func open(for warnings: [Warning], rules: [String: Indicator.CaseRule]) async {
        for warning in warnings where warning.kind == .indicator && warning.resolvedAt == nil && warning.caseId == nil {
            guard let rule = rules[warning.targetId], warning.level >= rule.level else { continue }
            let outcome: Result<String, any Error>
            do {
                guard let point = try await representativePoint(areaPath: warning.areaPath) else {
                    throw DomainError(.invalid, code: "no_cells", "The area has no grid cells to place a case in.")
                }
                let report = try await platform.cases.report(
                    NewReport(
                        matterCode: rule.matterCode,
                        description:
                            "【城市体征预警 / vital-sign warning】\(warning.title)：\(warning.detail)（\(warning.level.rawValue)，预警 \(warning.id)）",
                        lon: point.lon, lat: point.lat, urgency: warning.level >= .orange ? .urgent : .normal,
                        source: .machine,
                        reporterName: "城市体征 \(warning.targetId)"),
                    by: .system)
                outcome = .success(report.mergedInto?.id ?? report.case.id)
            } catch {
                outcome = .failure(error)
            }
            _ = try? await platform.supervision.attach(warningId: warning.id, outcome: outcome)
        }
    }

    /// The centre of the area's cell nearest the middle of all its cells' centres.
    private func representativePoint(areaPath: String) async throws -> GeoPoint? {
        let cells = try await platform.pool.read {
            try await GridCellRepository().list(
                scopePath: areaPath, areaId: nil, page: PageRequest(limit: PageRequest.maxLimit), on: $0
            ).items
        }
        let centres = cells.map { cell -> GeoPoint in
            let ring =
                cell.geometry.outer.count > 1 && cell.geometry.outer.first == cell.geometry.outer.last
                ? Array(cell.geometry.outer.dropLast()) : cell.geometry.outer
            return GeoPoint(
                lon: ring.map(\.lon).reduce(0, +) / Double(ring.count),
                lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
        }
        guard !centres.isEmpty else { return nil }
        let middle = GeoPoint(
            lon: centres.map(\.lon).reduce(0, +) / Double(centres.count),
            lat: centres.map(\.lat).reduce(0, +) / Double(centres.count))
        return centres.min {
            hypot($0.lon - middle.lon, $0.lat - middle.lat) < hypot($1.lon - middle.lon, $1.lat - middle.lat)
        }
    }
}
