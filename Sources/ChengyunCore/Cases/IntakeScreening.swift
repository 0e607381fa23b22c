import Foundation

/// A sign that a report may not be a real problem to handle (无效事件). Flags are for the intake
/// operator, who still decides: a flagged report is filed like any other, never dropped.
/// (A position outside every grid cell of the city is not flagged but refused with
/// `outside_grid`, as no area could own it; the reporter hears why at once.)
public struct IntakeFlag: Codable, Equatable, Sendable {
    public enum Code: String, Codable, Sendable, CaseIterable {
        /// No words that say what the problem is ("测试", "111", "。").
        case emptyText = "empty_text"
        /// The same few characters over and over ("啊啊啊啊啊啊").
        case repetitiveText = "repetitive_text"
        /// The reporter sent the same text within the last days.
        case repeatedReport = "repeated_report"
        /// No routing rule covers the matter here and no case of it was ever closed in this area.
        case noDepartment = "no_department"
        /// The reporter's earlier reports were refused (不予立案) or voided (作废) more than once.
        case rejectedReporter = "rejected_reporter"
    }

    public var code: Code
    /// What the flag rests on, in a few words ("2 of 3 reports refused").
    public var detail: String?

    public init(_ code: Code, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }
}

/// An earlier report of the same reporter, as the screening reads it.
public struct PriorReport: Equatable, Sendable {
    public var description: String
    public var state: CaseState
    public var reportedAt: Int64

    public init(description: String, state: CaseState, reportedAt: Int64) {
        self.description = description
        self.state = state
        self.reportedAt = reportedAt
    }
}

/// The invalid-report screening (无效事件监测) of one report, from facts the store loads.
public enum IntakeScreening {
    /// How far back a reporter's repeated text counts.
    public static let repeatWindowMillis: Int64 = 7 * 86_400_000
    /// How far back refused reports count, and how many make a flag.
    public static let rejectionWindowMillis: Int64 = 90 * 86_400_000
    public static let rejectionsToFlag = 2

    public static func flags(
        description: String, priorReports: [PriorReport], departmentFound: Bool, at now: Int64
    ) -> [IntakeFlag] {
        var flags: [IntakeFlag] = []
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let words = Set(TextTokens.of(text)).subtracting(DuplicateScore.filler).filter { !$0.allSatisfy(\.isNumber) }
        let tokens = TextTokens.of(text)
        if tokens.count >= 6, Double(Set(tokens).count) / Double(tokens.count) < 0.34 {
            flags.append(IntakeFlag(.repetitiveText, detail: "\(Set(tokens).count) of \(tokens.count) distinct"))
        } else if placeholders.contains(text) || words.isEmpty || (words.count == 1 && words.first!.count <= 2) {
            flags.append(IntakeFlag(.emptyText))
        }
        let repeats = priorReports.filter {
            now - $0.reportedAt <= repeatWindowMillis && !words.isEmpty
                && (DuplicateScore.textSimilarity(text, $0.description) ?? 0) >= 0.9
        }
        if !repeats.isEmpty { flags.append(IntakeFlag(.repeatedReport, detail: "\(repeats.count) in 7 days")) }
        if !departmentFound { flags.append(IntakeFlag(.noDepartment)) }
        let recent = priorReports.filter { now - $0.reportedAt <= rejectionWindowMillis }
        let refused = recent.filter { $0.state == .rejected || $0.state == .cancelled }.count
        if refused >= rejectionsToFlag {
            flags.append(IntakeFlag(.rejectedReporter, detail: "\(refused) of \(recent.count) in 90 days"))
        }
        return flags
    }

    /// Texts people type to get past a required field.
    static let placeholders: Set<String> = [
        "测试", "测试一下", "test", "testing", "无", "没有", "暂无", "同上", "asdf", "123", "111", "1", "。", ".",
        "n/a", "na", "none", "xxx",
    ]
}
