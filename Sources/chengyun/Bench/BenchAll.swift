import ArgumentParser
import Foundation

/// `chengyun bench all [--quick]`: every bench in turn, one JSON report of them all. `--quick`
/// runs each small (seconds, not minutes) — CI's smoke test that every bench still measures;
/// its figures are not for comparing. Exits non-zero when any bench failed, naming it.
struct BenchAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all", abstract: "Run every bench and write one JSON report.")

    @Flag(help: "Small sizes: a smoke test that every bench runs, not figures to compare.") var quick = false
    @Option(help: "Where the report goes.") var output = "bench-report.json"
    @Option(help: "Also run the ingest bench on this PostgreSQL server (postgres://…).") var database: String?

    func run() async throws {
        var plan: [(name: String, measure: () async throws -> BenchResult)] = [
            ("routing", { try await BenchRouting.parse([]).measure() }),
            ("intake", { try await BenchIntake.parse(quick ? ["--problems", "100"] : []).measure() }),
            (
                "evaluation",
                { try await BenchEvaluation.parse(quick ? ["--cases", "20000", "--checks", "300"] : []).measure() }
            ),
            ("indicators", { try await BenchIndicators.parse(quick ? ["--cases", "20000"] : []).measure() }),
            (
                "datahub",
                {
                    try await BenchDataHub.parse(
                        quick ? ["--rows", "20000", "--queries", "100", "--changes", "30", "--subscribers", "10"] : []
                    ).measure()
                }
            ),
            (
                "emergency",
                {
                    try await BenchEmergency.parse(
                        quick
                            ? [
                                "--resources", "2000", "--queries", "200", "--activations", "30", "--cells", "2000",
                                "--alarms", "30",
                            ] : []
                    ).measure()
                }
            ),
            (
                "cases",
                {
                    try await BenchCases.parse(quick ? ["--seconds", "3", "--cases", "64", "--connections", "8"] : [])
                        .measure()
                }
            ),
            ("ingest", { try await BenchIngest.parse(quick ? Self.quickIngest : []).measure() }),
        ]
        if let database {
            plan.append(
                (
                    "ingest-postgres",
                    {
                        try await BenchIngest.parse((quick ? Self.quickIngest : []) + ["--database", database])
                            .measure()
                    }
                ))
            plan.append(
                (
                    "cases-postgres",
                    {
                        try await BenchCases.parse(
                            (quick ? ["--seconds", "3", "--cases", "64", "--connections", "8"] : [])
                                + ["--database", database]
                        ).measure()
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
                print("bench \(name) failed: \(error)")
                failed.append(name)
                results.append(["bench": name, "error": "\(error)"])
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

    static let quickIngest = ["--seconds", "4", "--devices", "1000", "--lines", "250", "--connections", "2"]
}
