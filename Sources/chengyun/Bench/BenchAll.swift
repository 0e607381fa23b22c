import ArgumentParser
import ChengyunCore
import Foundation

/// `chengyun bench all [--quick]`: every bench in turn, one JSON report of them all. `--quick`
/// runs each small (seconds, not minutes) — CI's smoke test that every bench still measures;
/// its figures are not for comparing. Exits non-zero when any bench failed, naming it.
struct BenchAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Run every bench and write one JSON report.")

    @Flag(help: "Small sizes: a smoke test that every bench runs, not figures to compare.") var quick = false
    @Option(help: "Where the report goes.") var output = "bench-report.json"
    @Option(
        help:
            "Also run the benches that use the database on this PostgreSQL server (postgres://…), on one node and on two."
    )
    var database: String?

    func run() async throws {
        let quickIntake = quick ? ["--problems", "100"] : []
        let quickDataHub =
            quick
            ? [
                "--rows", "20000", "--queries", "100", "--changes", "30", "--subscribers", "10", "--record-changes",
                "400",
            ] : []
        var plan: [(name: String, measure: () async throws -> BenchResult)] = [
            ("routing", { try await BenchRouting.parse([]).measure() }),
            ("intake", { try await BenchIntake.parse(quickIntake).measure() }),
            ("evaluation", { try await BenchEvaluation.parse(quick ? Self.quickEvaluation : []).measure() }),
            ("indicators", { try await BenchIndicators.parse(quick ? Self.quickIndicators : []).measure() }),
            (
                "datahub",
                {
                    try await BenchDataHub.parse(quickDataHub).measure()
                }
            ),
            (
                "emergency",
                { try await BenchEmergency.parse(quick ? Self.quickEmergency : []).measure() }
            ),
            ("cases", { try await BenchCases.parse(quick ? Self.quickCases : []).measure() }),
            ("ingest", { try await BenchIngest.parse(quick ? Self.quickIngest + Self.resent : []).measure() }),
        ]
        if let database {
            plan.append(
                (
                    "ingest-postgres",
                    {
                        try await BenchIngest.parse(
                            (quick ? Self.quickIngest + Self.resent : []) + ["--database", database]
                        )
                        .measure()
                    }
                ))
            plan.append(
                (
                    "cases-postgres",
                    {
                        try await BenchCases.parse((quick ? Self.quickCases : []) + ["--database", database]).measure()
                    }
                ))
            plan.append(
                (
                    "cities",
                    {
                        try await BenchCities.parse(
                            (quick ? ["--cities", "2", "--seconds", "3", "--devices", "100"] : [])
                                + ["--database", database]
                        ).measure()
                    }
                ))
            plan.append(
                ("intake-postgres", { try await BenchIntake.parse(quickIntake + ["--database", database]).measure() }))
            plan.append(
                (
                    "datahub-postgres",
                    { try await BenchDataHub.parse(quickDataHub + ["--database", database]).measure() }
                ))
            // Every bench that takes --nodes, on PostgreSQL again with its load over two nodes (each
            // entry named as .ci/bench_report.py names its result: bench, backend, nodes).
            let twoNodes = ["--database", database, "--nodes", "2"]
            plan += [
                (
                    "evaluation-postgres-2nodes",
                    { try await BenchEvaluation.parse((quick ? Self.quickEvaluation : []) + twoNodes).measure() }
                ),
                (
                    "indicators-postgres-2nodes",
                    { try await BenchIndicators.parse((quick ? Self.quickIndicators : []) + twoNodes).measure() }
                ),
                (
                    "emergency-postgres-2nodes",
                    { try await BenchEmergency.parse((quick ? Self.quickEmergency : []) + twoNodes).measure() }
                ),
                ("datahub-postgres-2nodes", { try await BenchDataHub.parse(quickDataHub + twoNodes).measure() }),
                (
                    "cities-2nodes",
                    {
                        try await BenchCities.parse(
                            (quick ? ["--cities", "2", "--seconds", "3", "--devices", "100"] : []) + twoNodes
                        ).measure()
                    }
                ),
                (
                    "cases-postgres-2nodes",
                    { try await BenchCases.parse((quick ? Self.quickCases : []) + twoNodes).measure() }
                ),
                (
                    "ingest-postgres-2nodes",
                    { try await BenchIngest.parse((quick ? Self.quickIngest : []) + twoNodes).measure() }
                ),
            ]
        }
        var results: [[String: Any]] = []
        var failed: [String] = []
        for (name, measure) in plan {
            print("== bench \(name)")
            let started = ContinuousClock.now
            do {
                let result = try await measure()
                print(result.json)
                results.append(
                    result.object.merging(["run_s": BenchResult.rounded((ContinuousClock.now - started).seconds, 1)]) {
                        a, _ in a
                    })
            } catch {
                // The reflection, secrets masked: a PostgreSQL error's description names no cause.
                print("bench \(name) failed: \(loggedError(error))")
                failed.append(name)
                results.append(["bench": name, "error": loggedError(error)])
            }
        }
        let report: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()), "quick": quick,
            "machine": [
                "cpus": ProcessInfo.processInfo.activeProcessorCount,
                "memory_gib": Int(ProcessInfo.processInfo.physicalMemory >> 30),
                "os": ProcessInfo.processInfo.operatingSystemVersionString,
            ],
            "results": results,
        ]
        let data = try JSONSerialization.data(
            withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try data.write(to: URL(fileURLWithPath: output))
        print("report written to \(output)")
        guard failed.isEmpty else { throw BenchFailure("benches failed: \(failed.joined(separator: ", "))") }
    }

    /// 1,000 readings a request: PostgreSQL lands them by `COPY`.
    static let quickIngest = ["--seconds", "4", "--devices", "1000", "--lines", "250", "--connections", "2"]
    /// On one node, each fourth request sent again takes the failed copy's way back (and the run
    /// checks every resent reading is a repeat); `BenchIngest` says why not on several.
    static let resent = ["--resend-every", "4"]
    static let quickCases = ["--seconds", "3", "--cases", "64", "--connections", "8"]
    static let quickEvaluation = ["--cases", "20000", "--checks", "300"]
    static let quickIndicators = ["--cases", "20000"]
    static let quickEmergency = [
        "--resources", "2000", "--queries", "200", "--activations", "30", "--cells", "2000", "--alarms", "30",
    ]
}
