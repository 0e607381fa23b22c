import Foundation

/// What the duplicate score reads of a report or of an open case.
public struct DuplicateProbe: Equatable, Sendable {
    public var matterCode: String
    public var description: String
    /// The fields that identify the thing reported (a plate number); two different values mean
    /// two different things.
    public var customFields: [String: String]
    public var position: GeoPoint
    public var reportedAt: Int64

    public init(
        matterCode: String, description: String, customFields: [String: String] = [:], position: GeoPoint,
        reportedAt: Int64
    ) {
        self.matterCode = matterCode
        self.description = description
        self.customFields = customFields
        self.position = position
        self.reportedAt = reportedAt
    }
}

extension Case {
    public var duplicateProbe: DuplicateProbe {
        DuplicateProbe(
            matterCode: matterCode, description: description, customFields: customFields, position: position,
            reportedAt: reportedAt)
    }
}

/// An open case a report may repeat, with the score and what it rests on — the explanation an
/// intake operator reads beside "possible duplicates" (可能重复).
public struct DuplicateMatch: Codable, Equatable, Sendable {
    public var caseId: String
    /// 0…1; `DuplicateRule.suggestAt` and above are offered, `mergeAt` and above (same matter, no
    /// field that differs) merged when the rule merges.
    public var score: Double
    public var relation: MatterRelation
    public var distanceMetres: Double
    public var hoursApart: Double
    /// Dice similarity of the two descriptions' words (0…1); nil when either has none.
    public var textSimilarity: Double?
    /// Custom fields both reports filled in differently (two plate numbers: two cars).
    public var differingFields: [String]

    public init(
        caseId: String, score: Double, relation: MatterRelation, distanceMetres: Double, hoursApart: Double,
        textSimilarity: Double?, differingFields: [String]
    ) {
        self.caseId = caseId
        self.score = score
        self.relation = relation
        self.distanceMetres = distanceMetres
        self.hoursApart = hoursApart
        self.textSimilarity = textSimilarity
        self.differingFields = differingFields
    }
}

/// The duplicate score (智能合并线索): matter relation, distance, time apart and the words of the
/// two descriptions, weighed into one number.
///
///     score = 0.4·m + 0.25·p + 0.1·r + 0.25·s, times 0.3 when a custom field differs
///
/// m is 1 for the same matter and 0.8 for a related one; p = 1 − distance/limit; r = 1 − time
/// apart/window; s the text similarity (0.5 when a description has no words to compare). Words
/// every report uses (发现, 处理, 请尽快 …) are left out of the similarity.
public enum DuplicateScore {
    public static func match(
        _ report: DuplicateProbe, against open: DuplicateProbe, caseId: String, rule: DuplicateRule
    ) -> DuplicateMatch? {
        guard let relation = rule.relations.relation(report.matterCode, open.matterCode) else { return nil }
        let distance = report.position.distance(to: open.position)
        let apart = abs(report.reportedAt - open.reportedAt)
        guard distance <= rule.distanceMetres, apart <= rule.windowMillis else { return nil }
        let similarity = textSimilarity(report.description, open.description)
        let differing = report.customFields.keys.filter { key in
            guard let mine = report.customFields[key], let theirs = open.customFields[key] else { return false }
            return !mine.isEmpty && !theirs.isEmpty && normalised(mine) != normalised(theirs)
        }.sorted()
        let m = relation == .same ? 1.0 : 0.8
        let p = rule.distanceMetres > 0 ? max(0, 1 - distance / rule.distanceMetres) : 1
        let r = rule.windowMillis > 0 ? max(0, 1 - Double(apart) / Double(rule.windowMillis)) : 1
        var score = 0.4 * m + 0.25 * p + 0.1 * r + 0.25 * (similarity ?? 0.5)
        if !differing.isEmpty { score *= 0.3 }
        return DuplicateMatch(
            caseId: caseId, score: rounded(score), relation: relation, distanceMetres: rounded(distance, 10),
            hoursApart: rounded(Double(apart) / 3_600_000, 10), textSimilarity: similarity.map { rounded($0) },
            differingFields: differing)
    }

    /// The matches among `candidates` at or above the rule's `suggestAt`, best first.
    public static func matches(
        _ report: DuplicateProbe, among candidates: [(id: String, probe: DuplicateProbe)], rule: DuplicateRule
    ) -> [DuplicateMatch] {
        candidates.compactMap { match(report, against: $0.probe, caseId: $0.id, rule: rule) }
            .filter { $0.score >= rule.suggestAt }
            .sorted { ($0.score, -$0.distanceMetres) > ($1.score, -$1.distanceMetres) }
    }

    /// Dice similarity of the descriptions' content words: 2·|A ∩ B| / (|A| + |B|).
    public static func textSimilarity(_ a: String, _ b: String) -> Double? {
        let x = contentTokens(a)
        let y = contentTokens(b)
        guard !x.isEmpty, !y.isEmpty else { return nil }
        return 2 * Double(x.intersection(y).count) / Double(x.count + y.count)
    }

    /// The distinct tokens of `text` without the filler every report carries: its character pairs
    /// and words (`TextTokens`) and, as people describe one thing in different words, its single
    /// Chinese characters too ("路灯坏了" and "路灯不亮" share 路, 灯 and 路灯).
    public static func contentTokens(_ text: String) -> Set<String> {
        var tokens = Set(TextTokens.of(text)).subtracting(filler)
        for character in text where TextTokens.isHan(character) && !fillerCharacters.contains(character) {
            tokens.insert(String(character))
        }
        return tokens
    }

    /// Characters that carry grammar rather than the problem.
    static let fillerCharacters = Set("的了在有是人一不很我们这那个到都也和就还被把给说要会能可以没吗呢啊吧请处理发现问题情况附近")

    /// Character pairs and words that say nothing about the problem itself.
    static let filler: Set<String> = [
        "发现", "现场", "请尽", "尽快", "快处", "处理", "理一", "一下", "希望", "麻烦", "反映", "市民", "来电", "有人",
        "这里", "附近", "情况", "问题", "严重", "影响", "请求", "要求", "相关", "部门", "谢谢", "the", "a", "an", "is",
        "at", "on", "in", "of", "and", "please", "there",
    ]

    private static func normalised(_ value: String) -> String {
        value.lowercased().filter { !$0.isWhitespace }
    }

    private static func rounded(_ value: Double, _ scale: Double = 1000) -> Double { (value * scale).rounded() / scale }
}
