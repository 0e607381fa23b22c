/// A supervision letter's template with `{placeholder}` fields (case number, matter, department,
/// overdue time, deadline…). Unknown placeholders are refused when the template is set, so a
/// letter never goes out with a hole in it; `{{` and `}}` write a brace.
public struct LetterTemplate: Codable, Equatable, Sendable {
    public static let placeholders: Set<String> = [
        "caseNumber", "matter", "address", "department", "stage", "overdue", "deadline", "issuer", "note",
        "taskNumber", "task", "inspector",
    ]

    public static let standard = LetterTemplate(
        text: """
            督办通知：案件 {caseNumber}（{matter}，{address}）{stage}环节已超时 {overdue}。请 {department} 于 {deadline} 前办结并回复办理情况。{note}
            """)

    /// The letter for an overdue patrol task.
    public static let patrolStandard = LetterTemplate(
        text: """
            督办通知：巡查任务 {taskNumber}（{task}）已超过期限 {overdue}。请 {inspector} 于 {deadline} 前完成巡查并回复。{note}
            """)

    /// The letter for an emergency incident's task past its deadline.
    public static let incidentTaskStandard = LetterTemplate(
        text: """
            督办通知：应急任务 {taskNumber}（{task}）已超过期限 {overdue}。请 {department} 于 {deadline} 前完成并回复。{note}
            """)

    public var text: String

    public init(text: String) { self.text = text }

    /// The placeholders the text uses, in order; throws on an unknown or unclosed one (of
    /// `allowed`: the letter fields unless a template of another kind says otherwise).
    public func fields(allowed: Set<String> = Self.placeholders) throws -> [String] {
        var names: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if c == "{" && next < text.endIndex && text[next] == "{" { index = text.index(after: next); continue }
            if c == "}" && next < text.endIndex && text[next] == "}" { index = text.index(after: next); continue }
            if c == "{" {
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw DomainError.validation([
                        FieldIssue(field: "text", code: "unclosed_placeholder", message: "A { has no closing }.")
                    ])
                }
                let name = String(text[next..<close])
                guard allowed.contains(name) else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "text", code: "unknown_placeholder",
                            message:
                                "{\(name)} is not a field; use \(allowed.sorted().joined(separator: ", ")).")
                    ])
                }
                names.append(name)
                index = text.index(after: close)
                continue
            }
            index = next
        }
        return names
    }

    /// The letter with every placeholder filled (missing or empty values become `blank`, a dash
    /// in letters so a gap is visible).
    public func render(_ values: [String: String], blank: String = "—") -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if (c == "{" || c == "}") && next < text.endIndex && text[next] == c {
                out.append(c); index = text.index(after: next); continue
            }
            if c == "{", let close = text[next...].firstIndex(of: "}") {
                let value = values[String(text[next..<close])] ?? ""
                out += value.isEmpty ? blank : value
                index = text.index(after: close)
                continue
            }
            out.append(c)
            index = next
        }
        return out
    }

    /// Working or wall minutes as the letter says them: "2 小时 15 分钟", "3 天 2 小时".
    public static func duration(minutes: Int64) -> String {
        let days = minutes / 1440, hours = (minutes % 1440) / 60, rest = minutes % 60
        if days > 0 { return hours > 0 ? "\(days) 天 \(hours) 小时" : "\(days) 天" }
        if hours > 0 { return rest > 0 ? "\(hours) 小时 \(rest) 分钟" : "\(hours) 小时" }
        return "\(rest) 分钟"
    }
}
