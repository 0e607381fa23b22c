import ArgumentParser
import ChengyunCore
import Foundation

/// Replays real San Francisco 311 requests: their categories become matters, their request type
/// and details the matter's custom fields, their supervisor districts and neighbourhoods areas,
/// their responsible agencies departments. The older 70 % teach, the newer 30 % are routed in
/// filing order, and each answer is compared with the department that really handled the request:
/// - the learned model (`DispatchModel`) retrained every week on the requests closed by then, as
///   the platform's schedule retrains it (`accuracy`), and trained once (`frozen_accuracy`);
/// - the matter × area rules learned by `RoutingLearner` (`rules_accuracy`);
/// - two lookup tables built from the older 70 %: the most frequent department per category, and
///   per category × request type falling back to the category's.
struct BenchRouting: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing", abstract: "Dispatch accuracy on the SF311 sample (data/sf311) or any SF311 file.")

    @Option(help: "An SF311 file (the columns of data/sf311).") var file = "data/sf311/cases_sample.csv"
    @Option(help: "Share of requests (oldest first) to learn from.") var train = 0.7
    @Option(help: "Cases an area needs before the rule learner gives it its own rule.") var support = 3
    @Option(help: "Days between retrainings in the replay.") var retrainDays = 7
    @Option(help: "Auto-dispatch confidence threshold.") var threshold = DispatchModel.defaultThreshold

    func run() async throws { print(try await measure().json) }

    struct Request {
        var category: String, type: String
        var replay: DispatchEvaluation.Case
    }

    func measure() async throws -> BenchResult {
        let requests = try load()
        let cut = Int(Double(requests.count) * train)
        let (older, newer) = (requests[..<cut], requests[cut...])
        guard !older.isEmpty, !newer.isEmpty else {
            throw BenchFailure("routing: nothing to learn from or to test in \(file)")
        }
        let week = Int64(retrainDays) * 86_400_000
        let start = ContinuousClock.now
        let learned = DispatchEvaluation.replay(
            requests.map(\.replay), trainShare: train, retrainEvery: week, threshold: threshold)
        let replayTime = ContinuousClock.now - start
        let frozen = DispatchEvaluation.replay(
            requests.map(\.replay), trainShare: train, retrainEvery: nil, threshold: threshold)

        let truth = newer.map(\.replay.example.departmentId)
        func accuracy(_ answers: [String?]) -> Double {
            BenchResult.rounded(Double(zip(answers, truth).filter { $0 == $1 }.count) / Double(truth.count), 4)
        }
        let byCategory = Lookup(older.map { ([$0.category], $0.replay.example.departmentId) })
        let byType = Lookup(older.map { ([$0.category, $0.type], $0.replay.example.departmentId) })
        let rules = RoutingLearner(minimumSupport: support).learn(
            older.map {
                let facts = $0.replay.example.facts
                return RoutingLearner.Example(
                    matterId: facts.matterId, areaIds: facts.areaIds, departmentId: $0.replay.example.departmentId)
            })
        let ruleAnswers = newer.map {
            let facts = $0.replay.example.facts
            return RoutingRule.resolve(
                rules, matterId: facts.matterId, areaPath: "/" + facts.areaIds.joined(separator: "/") + "/")?
                .departmentIds.first
        }
        let typeAccuracy = accuracy(newer.map { byType.answer([$0.category, $0.type]) })
        let rounded = { (value: Double) in BenchResult.rounded(value, 4) }
        print(
            "routed \(newer.count) newer requests after learning from \(older.count): learned model "
                + "\(rounded(learned.accuracy)) (top 3 \(rounded(learned.topThreeAccuracy)); \(learned.trainings) "
                + "weekly trainings in \(replayTime)), trained once \(rounded(frozen.accuracy)); rules "
                + "\(accuracy(ruleAnswers)); lookups by category × type \(typeAccuracy), by category "
                + "\(accuracy(newer.map { byCategory.answer([$0.category]) })); at confidence ≥ \(threshold) "
                + "\(rounded(learned.autoCoverage)) of requests auto-dispatched, \(rounded(learned.autoPrecision)) right."
        )
        return BenchResult(
            "routing",
            baselineMethod:
                "most frequent department per SF311 category × request type (falling back to the category's), "
                + "learned from the same older requests, routing the same newer ones",
            [
                "accuracy": rounded(learned.accuracy), "top3_accuracy": rounded(learned.topThreeAccuracy),
                "frozen_accuracy": rounded(frozen.accuracy), "rules_accuracy": accuracy(ruleAnswers),
                "lookup_category_accuracy": accuracy(newer.map { byCategory.answer([$0.category]) }),
                "lookup_type_accuracy": typeAccuracy, "baseline_accuracy": typeAccuracy,
                "auto_threshold": threshold, "auto_precision": rounded(learned.autoPrecision),
                "auto_coverage": rounded(learned.autoCoverage), "trainings": learned.trainings,
                "replay_ms": BenchResult.rounded(
                    Double(replayTime.components.seconds) * 1000 + Double(replayTime.components.attoseconds) / 1e15, 0),
                "rules": rules.count, "train_rows": older.count, "test_rows": newer.count,
                "departments": Set(requests.map(\.replay.example.departmentId)).count,
            ])
    }

    /// The file's requests with a responsible agency, oldest first.
    private func load() throws -> [Request] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("The SF311 data is not at \(file): run from the project root, or pass --file.")
        }
        var reader = CSVReader(text)
        guard let header = reader.next() else { throw ValidationError("\(file) is empty.") }
        let column = Dictionary(
            header.fields.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let names = [
            "Category", "Request.Type", "Request.Details", "Responsible.Agency", "Supervisor.District",
            "Neighborhood", "Opened", "Closed", "Source",
        ]
        let indexes = names.compactMap { column[$0] }
        guard indexes.count == names.count, let last = indexes.max() else {
            throw ValidationError("\(file) lacks the SF311 columns \(names.joined(separator: ", ")).")
        }
        var requests: [Request] = []
        for record in reader where record.fields.count > last {
            let f = Dictionary(uniqueKeysWithValues: zip(names, indexes.map { record.fields[$0] }))
            guard let agency = f["Responsible.Agency"], !agency.isEmpty, agency != "NA",
                let opened = Self.instant(f["Opened"] ?? "")
            else { continue }
            let (category, type) = (f["Category"] ?? "", f["Request.Type"] ?? "")
            let matter = SF311.matterCodes[category]
            // A category without a matter of its own files under the catch-all, which records it.
            let fields = (matter == nil ? [category] : []) + [type, f["Request.Details"] ?? ""]
            let facts = DispatchFacts(
                matterId: matter ?? "X9999", fields: fields,
                areaIds: ["sf", "d" + (f["Supervisor.District"] ?? ""), f["Neighborhood"] ?? ""],
                source: f["Source"] ?? "")
            let example = DispatchExample(facts: facts, departmentId: SF311.department(of: agency), at: opened)
            requests.append(
                Request(
                    category: category, type: type,
                    replay: .init(example: example, closedAt: Self.instant(f["Closed"] ?? ""))))
        }
        return requests.sorted { $0.replay.example.at < $1.replay.example.at }
    }

    /// "2012-12-04 15:21:00" as epoch milliseconds (the file's local time read as UTC: only order
    /// and distance matter here).
    static func instant(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let date = LocalDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        return (Int64(date.dayNumber) * 86_400 + Int64(clock[0] * 3600 + clock[1] * 60 + clock[2])) * 1000
    }

    /// The most frequent department per key, falling back to shorter keys (and at last to the
    /// most frequent department of all).
    struct Lookup {
        var counts: [[String]: [String: Int]] = [:]
        init(_ rows: [([String], String)]) {
            for (key, department) in rows {
                for length in 0...key.count {
                    counts[Array(key.prefix(length)), default: [:]][department, default: 0] += 1
                }
            }
        }
        func answer(_ key: [String]) -> String? {
            for length in stride(from: key.count, through: 0, by: -1) {
                if let tally = counts[Array(key.prefix(length))] { return RoutingLearner.majority(of: tally) }
            }
            return nil
        }
    }
}
