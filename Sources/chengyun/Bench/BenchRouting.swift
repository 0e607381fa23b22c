import ArgumentParser
import ChengyunCore
import Foundation

/// Replays real San Francisco 311 requests: their categories become matters, their responsible
/// agencies departments, their supervisor districts and neighbourhoods areas. Rules are learned
/// from the older 70 % of requests and then route the newer 30 % through the same
/// `RoutingRule.resolve` the case service dispatches with; accuracy is the share routed to the
/// agency that really handled the request.
struct BenchRouting: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing", abstract: "Auto-dispatch accuracy on the SF311 sample (data/sf311).")

    @Option(help: "The SF311 sample.") var file = "data/sf311/cases_sample.csv"
    @Option(help: "Share of requests (oldest first) to learn from.") var train = 0.7
    @Option(help: "Cases an area needs before it gets its own rule.") var support = 3

    func run() async throws { print(try await measure().json) }

    func measure() async throws -> BenchResult {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("The SF311 data is not at \(file): run from the project root, or pass --file.")
        }
        var reader = CSVReader(text)
        guard let header = reader.next() else { throw ValidationError("\(file) is empty.") }
        let column = Dictionary(
            header.fields.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        guard let category = column["Category"], let agency = column["Responsible.Agency"],
            let district = column["Supervisor.District"],
            let neighborhood = column["Neighborhood"], let opened = column["Opened"]
        else {
            throw ValidationError("\(file) lacks the SF311 columns.")
        }
        var rows: [(opened: String, example: RoutingLearner.Example, queue: String)] = []
        for record in reader where record.fields.count > max(category, agency, district, neighborhood, opened) {
            let f = record.fields
            guard !f[agency].isEmpty, f[agency] != "NA" else { continue }
            let matter = SF311.matterCodes[f[category]] ?? "X9999"
            rows.append(
                (
                    f[opened],
                    RoutingLearner.Example(
                        matterId: matter, areaIds: ["sf", "d" + f[district], f[neighborhood]],
                        departmentId: SF311.department(of: f[agency])), f[agency]
                ))
        }
        rows.sort { $0.opened < $1.opened }
        let cut = Int(Double(rows.count) * train)
        let (learnFrom, test) = (rows[..<cut].map(\.example), rows[cut...].map(\.example))
        let start = ContinuousClock.now
        let rules = RoutingLearner(minimumSupport: support).learn(learnFrom)
        let learnedIn = ContinuousClock.now - start
        var correct = 0
        for example in test
        where RoutingRule.resolve(
            rules, matterId: example.matterId,
            areaPath: "/" + example.areaIds.joined(separator: "/") + "/")?.departmentIds.first == example.departmentId
        {
            correct += 1
        }
        // Baseline: one rule per matter, city-wide, and nothing else.
        let cityOnly = RoutingLearner(minimumSupport: Int.max).learn(
            learnFrom.map {
                RoutingLearner.Example(matterId: $0.matterId, areaIds: ["sf"], departmentId: $0.departmentId)
            })
        let baseline = test.filter {
            RoutingRule.resolve(cityOnly, matterId: $0.matterId, areaPath: "/sf/")?.departmentIds.first
                == $0.departmentId
        }.count
        let accuracy = Double(correct) / Double(max(1, test.count))
        // The same learning at the level of SF's 122 work queues, for comparison.
        let queueExamples = rows.map {
            RoutingLearner.Example(matterId: $0.example.matterId, areaIds: $0.example.areaIds, departmentId: $0.queue)
        }
        let queueRules = RoutingLearner(minimumSupport: support).learn(Array(queueExamples[..<cut]))
        let queueCorrect = queueExamples[cut...].filter {
            RoutingRule.resolve(
                queueRules, matterId: $0.matterId, areaPath: "/" + $0.areaIds.joined(separator: "/") + "/")?
                .departmentIds.first == $0.departmentId
        }.count
        let departments = Set(rows.map(\.example.departmentId)).count, queues = Set(rows.map(\.queue)).count
        print(
            "learned \(rules.count) rules from \(learnFrom.count) requests in \(learnedIn); routed \(test.count) newer requests: "
                + "\(correct) to the department that handled them (city-wide matter rules alone: \(baseline)); "
                + "at the level of \(queues) work queues: \(queueCorrect).")
        guard !test.isEmpty, !rules.isEmpty else {
            throw BenchFailure("routing: nothing to learn from or to test in \(file)")
        }
        let share = { (count: Int) in BenchResult.rounded(Double(count) / Double(test.count), 4) }
        return BenchResult(
            "routing",
            baselineMethod:
                "one city-wide rule per matter, learned from the same older requests, routing the same newer ones",
            [
                "accuracy": share(correct), "baseline_accuracy": share(baseline), "queue_accuracy": share(queueCorrect),
                "rules": rules.count,
                "train_rows": learnFrom.count, "test_rows": test.count, "departments": departments, "queues": queues,
            ])
    }
}
