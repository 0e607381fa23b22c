import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the platform. Each benchmark ends by printing one JSON line with its figures.",
        subcommands: [BenchRouting.self, BenchCases.self, BenchEvaluation.self])
}
