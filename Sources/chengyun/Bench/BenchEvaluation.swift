import ArgumentParser
import ChengyunCore
import ChengyunStore
import Foundation
import Logging
import SQLKit

/// One month's performance evaluation over a synthetic year of 1,000,000 cases spread over a
/// 10 km × 10 km city (with their five
/// finished stages and filing and dispatch events), and the duplicate check a new report makes,
/// on embedded SQLite or `--database postgres://…`. The history is generated inside the database
/// (recursive CTEs) so setting up takes seconds; the evaluation and the check then run through the
/// product's own services. With `--nodes N` every node evaluates at once, and the checks are
/// shared out among the nodes, each node's share run at the same time as the others'.
struct BenchEvaluation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation", abstract: "Evaluation and duplicate-check times over a large history.")

    @Option var cases = 1_000_000
    @Option(help: "Duplicate checks to time.") var checks = 2000
    @OptionGroup var target: BenchTarget

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        let scratch = target.scratch
        defer { scratch.remove() }
        let (pool, platform, now) = try await scratch.benchCity()
        let (runs, duplicates) = try await scratch.closing(pool) {
            () async throws -> ((timings: [Double], baselines: [Double]), [String: Any]) in
            print("generating \(cases) cases over a year…")
            let setup = ContinuousClock.now
            try await BenchHistory.generateYear(cases: cases, now: now, pool: pool)
            print("generated in \(ContinuousClock.now - setup)")
            return try await BenchNodes.with(
                first: platform, count: target.nodes, scratch: scratch, settings: scratch.settings, port: nil
            ) { nodes in
                (try await evaluations(nodes, now: now), try await duplicateChecks(nodes, now: now))
            }
        }
        let (timings, baselines) = runs
        let evaluation = timings.sorted()[timings.count / 2],
            evaluationBaseline = baselines.sorted()[baselines.count / 2]
        print(
            "evaluation of the last month: \(timings.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms "
                + "(the plain aggregate: \(baselines.map { String(format: "%.0f", $0) }.joined(separator: ", ")) ms)")
        return BenchResult(
            "evaluation",
            baselineMethod:
                "evaluation: one hand-written GROUP BY over the month's finished stages (with --nodes, on every node at once as the evaluations are); duplicate check: the same "
                + "bucket query for three columns, the distance test, then the duplicates' whole rows left undecoded; same database, same probes (with --nodes, each node's share on its own pool)",
            [
                "evaluation_ms": BenchResult.rounded(try BenchFailure.positive(evaluation, "evaluation time"), 1),
                "baseline_evaluation_ms": BenchResult.rounded(evaluationBaseline, 1), "cases": cases,
                "backend": scratch.backend, "nodes": target.nodes,
            ].merging(duplicates) { a, _ in a })
    }

    /// One month's evaluation for all people, departments and areas, five times on every node at
    /// once; beside each round the hand-written aggregate of the same month's finished stages by
    /// department, on every node at once too.
    private func evaluations(_ nodes: BenchNodes, now: Int64) async throws -> (timings: [Double], baselines: [Double]) {
        var timings: [Double] = [], baselines: [Double] = []
        for _ in 0..<5 {
            let reports = try await nodes.onEvery { _, node in
                try await BenchTiming.once {
                    try await node.evaluation.evaluate(from: now - 30 * 86_400_000, to: now, by: .system)
                }
            }
            timings += reports.map(\.ms)
            guard reports.allSatisfy({ $0.value.departments.first?.figures["handled"] != nil }) else {
                throw BenchFailure("evaluation: no department was evaluated")
            }
            baselines += try await nodes.onEvery { _, node in
                try await BenchTiming.once {
                    try await node.pool.read { db in
                        try await db.raw(
                            """
                            SELECT department_id, stage, COUNT(*) AS n, SUM(on_time) AS on_time FROM case_stages
                            WHERE finished_at >= \(bind: now - 30 * 86_400_000) AND finished_at < \(bind: now) GROUP BY department_id, stage
                            """
                        ).all().count
                    }
                }.ms
            }
        }
        return (timings, baselines)
    }

    /// The duplicate check a new report makes (open cases of its minor category within 50 m,
    /// reported within the rule's window), probed where the recent open cases are: each probe a
    /// random recent open case moved up to about 80 m, so some probes find it and some do not.
    private func duplicateChecks(_ nodes: BenchNodes, now: Int64) async throws -> [String: Any] {
        let pools = nodes.platforms.map(\.pool)
        let rule = DuplicateRule()
        let open = try await pools[0].read { db in
            try await db.raw(
                """
                SELECT lon, lat FROM cases WHERE state NOT IN ('closed', 'rejected', 'cancelled', 'merged') AND reported_at >= \(bind: now - rule.windowMillis)
                """
            ).all().map {
                GeoPoint(
                    lon: try $0.decode(column: "lon", as: Double.self),
                    lat: try $0.decode(column: "lat", as: Double.self))
            }
        }
        guard !open.isEmpty else {
            throw BenchFailure("duplicate check: the generated year has no recent open case to probe near")
        }
        var rng = SplitMix64(seed: 7)
        let probes = (0..<checks).map { _ in
            let near = open[Int(rng.next() % UInt64(open.count))]
            return GeoPoint(
                lon: near.lon + (Double(rng.next() % 1_601) - 800) * 0.000001,
                lat: near.lat + (Double(rng.next() % 1_441) - 720) * 0.000001)
        }
        // Each node its share of the probes, the shares at once.
        let share = try await withThrowingTaskGroup(of: ProbeShare.self) { group in
            for (index, pool) in pools.enumerated() {
                let mine = probes.indices.filter { $0 % pools.count == index }.map { probes[$0] }
                group.addTask { try await Self.probe(mine, on: pool, now: now) }
            }
            var all = ProbeShare()
            for try await share in group { all.merge(share) }
            return all
        }
        let (platformTimes, baselineTimes) = (share.platformTimes, share.baselineTimes)
        let (withCandidate, withDuplicate, baselineDuplicates) = (
            share.withCandidate, share.withDuplicate, share.baselineDuplicates
        )
        guard baselineDuplicates == withDuplicate else {
            throw BenchFailure(
                "duplicate check: the hand-written query found \(baselineDuplicates) probes with a duplicate, the product \(withDuplicate)"
            )
        }
        print(
            "duplicate check: \(checks) probes near recent open cases; \(withCandidate) had a candidate, \(withDuplicate) a duplicate"
        )
        return try platformTimes.figures("duplicate_check").merging(baselineTimes.figures("baseline_duplicate_check")) {
            a, _ in a
        }.merging([
            "duplicate_check_ms": BenchResult.rounded(
                try BenchFailure.positive(platformTimes.meanMilliseconds, "duplicate check"), 3),
            "probes": checks, "probes_with_candidate": BenchResult.rounded(Double(withCandidate) / Double(checks), 3),
            "probes_with_duplicate": BenchResult.rounded(Double(withDuplicate) / Double(checks), 3),
        ]) { a, _ in a }
    }

    /// What one node's share of the duplicate checks found, and how long they took.
    private struct ProbeShare: Sendable {
        var platformTimes = Latencies(), baselineTimes = Latencies()
        var withCandidate = 0, withDuplicate = 0, baselineDuplicates = 0

        mutating func merge(_ other: ProbeShare) {
            platformTimes.merge(other.platformTimes)
            baselineTimes.merge(other.baselineTimes)
            (withCandidate, withDuplicate) = (withCandidate + other.withCandidate, withDuplicate + other.withDuplicate)
            baselineDuplicates += other.baselineDuplicates
        }
    }

    /// The product's check and the hand-written one at each probe, one after the other.
    private static func probe(_ probes: [GeoPoint], on pool: any DatabasePool, now: Int64) async throws -> ProbeShare {
        let rule = DuplicateRule()
        let closed = [CaseState.closed, .rejected, .cancelled, .merged].map(\.rawValue)
        var share = ProbeShare()
        for point in probes {
            let begin = ContinuousClock.now
            // The report path's check: the candidates' rule columns, then the duplicates whole.
            let (candidates, found) = try await pool.read { db in
                let candidates = try await CaseRepository().nearbyOpen(
                    kind: .event, majorCode: "01", minorCode: "02", keys: rule.searchKeys(around: point),
                    reportedAfter: now - rule.windowMillis, on: db)
                let duplicates = rule.duplicates(
                    among: candidates, of: .event, major: "01", minor: "02", at: point, reportedAt: now)
                return (candidates.count, try await CaseRepository().find(ids: duplicates.map(\.id), on: db).count)
            }
            share.platformTimes.record(milliseconds: BenchTiming.milliseconds(ContinuousClock.now - begin))
            share.withCandidate += candidates == 0 ? 0 : 1
            share.withDuplicate += found > 0 ? 1 : 0

            let plain = ContinuousClock.now
            let near = try await pool.read { db in
                let rows = try await db.raw(
                    """
                    SELECT id, lon, lat FROM cases WHERE kind = 'event' AND major_code = '01' AND minor_code = '02'
                    AND bucket IN (\(binds: rule.searchKeys(around: point).map(\.packed))) AND reported_at >= \(bind: now - rule.windowMillis)
                    AND state NOT IN (\(binds: closed))
                    """
                ).all()
                let ids = try rows.filter { row in
                    GeoPoint(
                        lon: try row.decode(column: "lon", as: Double.self),
                        lat: try row.decode(column: "lat", as: Double.self)
                    )
                    .distance(to: point) <= rule.distanceMetres
                }.map { try $0.decode(column: "id", as: String.self) }
                guard !ids.isEmpty else { return 0 }
                return try await db.raw("SELECT * FROM cases WHERE id IN (\(binds: ids))").all().count
            }
            share.baselineTimes.record(milliseconds: BenchTiming.milliseconds(ContinuousClock.now - plain))
            share.baselineDuplicates += near > 0 ? 1 : 0
        }
        return share
    }
}
