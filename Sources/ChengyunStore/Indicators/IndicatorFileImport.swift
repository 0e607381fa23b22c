import ChengyunCore
import Foundation

/// What a file of figures did: how many were kept, and each refused line with why.
public struct IndicatorImportReport: Codable, Sendable, Equatable {
    public var accepted: Int
    public var rejected: [Rejected]

    public struct Rejected: Codable, Sendable, Equatable {
        public var line: Int
        public var code: String
        public var message: String
    }
}

extension IndicatorService {
    /// Figures of an imported indicator from CSV — `area_code,at,value` with a header line; `at`
    /// a date (2026-11-01), an ISO 8601 time or epoch milliseconds. Good lines are kept, each bad
    /// one is reported with its line number and reason.
    public func importCSV(code: String, csv: String, by actor: Principal) async throws -> IndicatorImportReport {
        var records = Array(CSVReader(csv))
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            let areaColumn = header.firstIndex(of: "area_code"), let atColumn = header.firstIndex(of: "at"),
            let valueColumn = header.firstIndex(of: "value")
        else {
            throw DomainError.validation([
                FieldIssue(
                    field: "header", code: "invalid_header",
                    message: "The first line names the columns area_code, at, value.")
            ])
        }
        records.removeFirst()
        let areas = try await platform.pool.read { db in
            Dictionary(
                try await AreaRepository().list(
                    .init(scopePath: actor.listScope), page: PageRequest(limit: PageRequest.maxLimit), on: db
                )
                .items.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        }
        var report = IndicatorImportReport(accepted: 0, rejected: [])
        var figures: [ImportedFigure] = []
        for record in records where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            let field = { (index: Int) in
                index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            guard let areaId = areas[field(areaColumn)] else {
                report.rejected.append(
                    .init(
                        line: record.line, code: "unknown_area", message: "No area \(field(areaColumn)) in your scope.")
                )
                continue
            }
            let text = field(atColumn)
            guard let at = Int64(text) ?? Instant.parse(text) ?? Instant.parse(text + "T12:00:00+08:00") else {
                report.rejected.append(
                    .init(
                        line: record.line, code: "invalid_time",
                        message: "at is a date, an ISO 8601 time or epoch milliseconds."))
                continue
            }
            guard let value = Double(field(valueColumn)), value.isFinite else {
                report.rejected.append(.init(line: record.line, code: "invalid_value", message: "value is a number."))
                continue
            }
            figures.append(ImportedFigure(areaId: areaId, at: at, value: value))
        }
        if !figures.isEmpty { report.accepted = try await importValues(code: code, figures, by: actor).count }
        return report
    }
}
