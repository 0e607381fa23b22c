import ChengyunCore
import Foundation

/// Runs a labelled set (`DemoIntakeSet`) through the platform's own intake, report by report on
/// a simulated clock, and tallies what it answered against the labels: for duplicates, the old
/// rule (same matter, 50 m, 7 days, nearest first) beside the score (`DuplicateScore`) at the
/// rule's thresholds; for each invalid-report flag, how many it raised rightly and wrongly.
public struct IntakeMeasure: Sendable {
    /// How one way of choosing duplicates did: a report counts when its first choice is an
    /// earlier report of the same problem.
    public struct Tally: Sendable {
        public var chosen = 0, right = 0
        public var repeats = 0, found = 0
        public var precision: Double { chosen == 0 ? 0 : Double(right) / Double(chosen) }
        public var recall: Double { repeats == 0 ? 0 : Double(found) / Double(repeats) }
    }

    public struct FlagTally: Sendable {
        public var raised = 0, right = 0, expected = 0
        public var precision: Double { raised == 0 ? 0 : Double(right) / Double(raised) }
        public var recall: Double { expected == 0 ? 0 : Double(right) / Double(expected) }
    }

    public var reports = 0, skipped = 0
    public var oldRule = Tally(), scored = Tally(), merged = Tally()
    public var flags: [IntakeFlag.Code: FlagTally] = [:]

    /// `platform` should be a demo city; its duplicate rule is used for the thresholds and run in
    /// `suggest` mode with every candidate listed, so each way can be judged on the same reports.
    /// First the routing rules of `DemoIntakeSet.unrouted` and the city's catch-all rule are
    /// removed, so "no department" has something to find.
    public static func run(
        _ set: DemoIntakeSet, on platform: Platform, intake: Principal, supervisor: Principal
    ) async throws -> IntakeMeasure {
        let unrouted = Set(
            try await platform.matters.all().filter { DemoIntakeSet.unrouted.contains($0.code) }.map(\.id))
        for rule in try await platform.matters.rules(by: .system)
        where rule.matterId == nil || unrouted.contains(rule.matterId ?? "") {
            try await platform.matters.deleteRule(id: rule.id, by: .system)
        }
        let rule = platform.settings.duplicates
        var settings = platform.settings
        settings.duplicates.mode = .suggest
        settings.duplicates.suggestAt = 0
        let clock = SimulatedClock(set.items.first?.at ?? platform.now())
        let simulated = Platform(pool: platform.pool, settings: settings, now: { clock.now })
        var measure = IntakeMeasure()
        var problemOf: [String: Int] = [:]
        for item in set.items {
            clock.now = item.at
            let outcome: ReportOutcome
            do {
                outcome = try await simulated.cases.report(item.report, by: intake)
            } catch let error as DomainError where error.issues.contains(where: { $0.code == "outside_grid" }) {
                measure.skipped += 1 // a point that fell outside every grid cell
                continue
            }
            measure.reports += 1
            problemOf[outcome.case.id] = item.problem
            let ours = outcome.duplicateMatches.filter { problemOf[$0.caseId] != nil }
            let same = { (match: DuplicateMatch) in item.problem >= 0 && problemOf[match.caseId] == item.problem }
            let old = ours.filter { $0.relation == .same }.sorted { $0.distanceMetres < $1.distanceMetres }.first
            measure.oldRule.add(old.map(same), isRepeat: item.isRepeat)
            measure.scored.add(ours.first { $0.score >= rule.suggestAt }.map(same), isRepeat: item.isRepeat)
            measure.merged.add(rule.mergeTarget(ours).map(same), isRepeat: item.isRepeat)
            let raised = Set(outcome.intakeFlags.map(\.code))
            for code in IntakeFlag.Code.allCases {
                var tally = measure.flags[code] ?? FlagTally()
                if raised.contains(code) { tally.raised += 1 }
                if item.expectedFlags.contains(code) { tally.expected += 1 }
                if raised.contains(code) && item.expectedFlags.contains(code) { tally.right += 1 }
                measure.flags[code] = tally
            }
            if item.cancelAfter {
                _ = try await simulated.cases.act(
                    caseId: outcome.case.id, CaseActionInput(.cancel, note: "恶意报案，作废"), by: supervisor)
            }
        }
        return measure
    }

    /// The figures as one flat dictionary (the bench's JSON line).
    public var fields: [String: Double] {
        var fields: [String: Double] = [
            "reports": Double(reports), "skipped": Double(skipped), "repeats": Double(scored.repeats),
        ]
        for (name, tally) in [("old_rule", oldRule), ("scored", scored), ("merge", merged)] {
            fields["\(name)_precision"] = Self.rounded(tally.precision)
            fields["\(name)_recall"] = Self.rounded(tally.recall)
        }
        for (code, tally) in flags {
            fields["flag_\(code.rawValue)_precision"] = Self.rounded(tally.precision)
            fields["flag_\(code.rawValue)_recall"] = Self.rounded(tally.recall)
            fields["flag_\(code.rawValue)_expected"] = Double(tally.expected)
        }
        return fields
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}

extension IntakeMeasure.Tally {
    /// One report: `right` is nil when nothing was chosen, else whether the choice was right.
    mutating func add(_ right: Bool?, isRepeat: Bool) {
        if isRepeat { repeats += 1 }
        guard let right else { return }
        chosen += 1
        if right {
            self.right += 1
            if isRepeat { found += 1 }
        }
    }
}
