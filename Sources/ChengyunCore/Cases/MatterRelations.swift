/// Matters that name one problem from different sides (事项关联): a bin overflowing (果皮箱) and the
/// exposed garbage around it (暴露垃圾) at one corner are one thing to clear, whichever a reporter
/// picked. The duplicate check reads open cases of related matters as well as of the same one.
/// Groups are matter codes (E0102); a code may sit in several groups.
public struct MatterRelations: Codable, Equatable, Sendable {
    public var groups: [[String]]

    public init(groups: [[String]]) { self.groups = groups }

    /// How `a` and `b` relate: the same matter, related through a group, or not at all (nil).
    public func relation(_ a: String, _ b: String) -> MatterRelation? {
        if a == b { return .same }
        return groups.contains { $0.contains(a) && $0.contains(b) } ? .related : nil
    }

    /// `code` and every code related to it, `code` first.
    public func related(to code: String) -> [String] {
        var codes = [code]
        for group in groups where group.contains(code) {
            for other in group where !codes.contains(other) { codes.append(other) }
        }
        return codes
    }

    /// The groups shipped with the platform, from the standard catalogue (docs/domain.md §3).
    public static let standard = MatterRelations(groups: [
        // Garbage: exposed garbage, piled garbage and muck, a dirty road, a (full) waste bin.
        ["E0102", "E0103", "E0104", "C0305"],
        // A dirty road and what fell from a lorry onto it.
        ["E0104", "E0304"],
        // Standing water and the drains that should take it.
        ["E0111", "E0404", "C0103", "C0104"],
        // A burst water main and its cover.
        ["E0402", "C0101"],
        // A broken road surface and a collapse.
        ["E0306", "E0401"],
        // Street trading: hawkers, trading outside the shop, open-air barbecue.
        ["E0501", "E0504", "E0510"],
        // A building site: noise, dust, no hoarding, spilled loads.
        ["E0301", "E0302", "E0307", "E0304"],
        // Advertising: small ads, unauthorised signs and boards.
        ["E0201", "E0202", "C0307"],
        // Goods piled in the street and piled garbage.
        ["E0507", "E0103"],
        // A gas leak and the gas cover.
        ["E0403", "C0111"],
        // A street light out and the power equipment behind it.
        ["C0118", "C0116"],
    ])
}

public enum MatterRelation: String, Codable, Sendable {
    case same, related
}
