import ChengyunCore

/// 12345 hotline work orders from a CSV file. Each good line becomes a report of its own (its own
/// transaction, so an answered line is durable); a bad line is reported with its reason and the
/// rest go on.
///
/// Columns (header row required, any order): matter_code, description, lon, lat, and optionally
/// address, urgency (urgent/normal or 紧急/一般), reporter_name, reporter_contact, hotline_id (the
/// hotline's own work-order number, kept at the head of the description).
public struct HotlineImport: Sendable {
    public struct LineResult: Codable, Sendable, Equatable {
        public var line: Int
        public var number: String?
        public var mergedInto: String?
        public var code: ErrorCode?
        public var message: String?
        public var issues: [FieldIssue]?
    }

    public struct Report: Codable, Sendable {
        public var accepted: Int
        public var merged: Int
        public var rejected: Int
        public var lines: [LineResult]
    }

    public static let required = ["matter_code", "description", "lon", "lat"]

    let platform: Platform
    public init(platform: Platform) { self.platform = platform }

    public func run(csv text: String, by actor: Principal) async throws -> Report {
        var table = try CSVTable(text, required: Self.required)
        var report = Report(accepted: 0, merged: 0, rejected: 0, lines: [])
        while let record = table.next() {
            let value = record.value
            var result = LineResult(line: record.line)
            guard let lon = value("lon").flatMap(Double.init), let lat = value("lat").flatMap(Double.init) else {
                result.code = "invalid_position"
                result.message = "lon and lat must be decimal degrees."
                report.rejected += 1
                report.lines.append(result)
                continue
            }
            var description = value("description") ?? ""
            if let id = value("hotline_id") { description = "[12345 \(id)] " + description }
            let urgency = value("urgency").flatMap {
                Urgency(rawValue: $0) ?? ($0 == "紧急" ? .urgent : $0 == "一般" ? .normal : nil)
            }
            let input = NewReport(
                matterCode: value("matter_code"), description: description, lon: lon, lat: lat,
                address: value("address"), urgency: urgency, source: .hotline,
                reporterName: value("reporter_name"), reporterContact: value("reporter_contact"))
            do {
                let outcome = try await platform.cases.report(input, by: actor)
                result.number = outcome.case.number
                result.mergedInto = outcome.mergedInto?.number
                if outcome.mergedInto == nil { report.accepted += 1 } else { report.merged += 1 }
            } catch let error as DomainError {
                result.code = error.code
                result.message = error.message
                result.issues = error.issues.isEmpty ? nil : error.issues
                report.rejected += 1
            }
            report.lines.append(result)
        }
        return report
    }
}
