import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation

/// The intake checks on a labelled set (`DemoIntakeSet`) in a fresh demo city: precision and
/// recall of the duplicate suggestions — the old rule (same matter within 50 m and 7 days,
/// nearest first) beside the score with matter relations and text (`DuplicateScore`), and what
/// the rule would merge — and of each invalid-report flag (`IntakeMeasure`). On the embedded
/// default or `--database postgres://…` (the figures must not differ).
struct BenchIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Duplicate and invalid-report detection on a labelled demo-city set.")

    @Option(help: "Problems in the labelled set (each with its repeats, neighbours and invalid reports).")
    var problems = 400
    @Option(help: "Seed of the labelled set.") var seed: UInt64 = 25
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        // One replay in time order on a simulated clock: its figures are accuracy, not load.
        guard target.nodes == 1 else {
            throw ValidationError("--nodes: intake replays one labelled set in time order, on one node")
        }
        let scratch = target.scratch
        defer { scratch.remove() }
        let pool = try await scratch.open()
        return try await scratch.closing(pool) { () async throws -> BenchResult in
            let now = EpochMillis.now()
            let platform = Platform(pool: pool, settings: scratch.settings, now: { now })
            _ = try await DemoCity(platform: platform).build()
            let matters = try await platform.matters.all()
            let cells = try await PageRequest.all {
                try await platform.organisation.listGridCells(areaId: nil, page: $0, by: .system)
            }
            let set = DemoIntakeSet(cells: cells, matters: matters, problems: problems, now: now, seed: seed)
            let root = AreaScope(areaId: "", path: "/")
            let intake = Principal(
                kind: .staff, id: "bench-intake", name: "bench intake", roles: [.intake], scope: root)
            let supervisor = Principal(
                kind: .staff, id: "bench-supervisor", name: "bench supervisor", roles: [.supervisor], scope: root)
            let begin = ContinuousClock.now
            let measure = try await IntakeMeasure.run(set, on: platform, intake: intake, supervisor: supervisor)
            let seconds = BenchTiming.milliseconds(ContinuousClock.now - begin) / 1000
            guard measure.reports > 0, measure.scored.repeats > 0 else {
                throw BenchFailure("intake: the labelled set gave no reports or no repeats")
            }
            var figures: [String: Any] = measure.fields
            figures["problems"] = problems
            figures["backend"] = scratch.backend
            figures["reports_per_s"] = BenchResult.rounded(Double(measure.reports) / max(seconds, 0.001), 1)
            return BenchResult(
                "intake",
                baselineMethod:
                    "the old duplicate rule (same matter, within 50 m and 7 days, nearest first) on the same reports "
                    + "beside the scored rule; flags against the labels the generator gave",
                figures)
        }
    }
}
