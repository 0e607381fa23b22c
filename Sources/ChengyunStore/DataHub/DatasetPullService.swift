import ChengyunCore
import Foundation
import SQLKit

/// Scheduled HTTP pulls (定时拉取): a dataset's owner names a URL and an interval; the leading node
/// fetches it when due (conditionally: ETag, Last-Modified) and loads what changed through the
/// dataset's pipeline as any load, under the owner who set the pull, judged as they stand then.
/// A 304 or a body the same as last time's makes no version; a failure backs off, 1 minute
/// doubling up to the interval. Setting and removing a pull are audited; each load is, as loads are.
public struct DatasetPullService: Sendable {
    let platform: Platform
    let pulls = DatasetPullRepository()
    /// How long a run holds its claim: longer than a fetch (10 minutes at most) and its load.
    static let lease: Int64 = 30 * 60_000

    public init(platform: Platform) { self.platform = platform }

    public func set(code: String, _ input: PullInput, by actor: Principal) async throws -> DatasetPull {
        var validator = Validator()
        validator.check(
            WebhookPolicy.isAcceptable(url: input.url), "url", "invalid_url",
            "An absolute http or https URL of at most 500 characters.")
        validator.check(
            [.csv, .json, .ndjson, .geojson].contains(input.format), "format", "invalid_value", "A load format.")
        validator.check(
            PullSchedule.intervals.contains(input.intervalMinutes), "intervalMinutes", "invalid_value",
            "Every 15 minutes to once a week (10,080 minutes).")
        try validator.finish()
        guard actor.kind == .staff else { throw DomainError.outOfScope() }
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.pull.set", target: "dataset",
            summary: { ($0.datasetCode, "\($0.url) every \($0.intervalMinutes) min") }
        ) { db in
            let dataset = try await platform.datasetLoads.owned(code, by: actor, on: db)
            let pull = DatasetPull(
                datasetId: dataset.id, datasetCode: code, url: input.url, format: input.format,
                intervalMinutes: input.intervalMinutes, ownerId: actor.id, etag: nil, lastModified: nil,
                bodyHash: nil, nextRunAt: now, lastRunAt: nil, lastOutcome: nil, lastStatus: nil, lastError: nil,
                lastVersion: nil, failures: 0, createdAt: now, updatedAt: now)
            try await pulls.save(pull, on: db)
            return pull
        }
    }

    public func pull(code: String, by actor: Principal) async throws -> DatasetPull {
        try await platform.pool.read { db in
            let dataset = try await platform.datasetLoads.owned(code, by: actor, on: db)
            guard let pull = try await pulls.find(datasetId: dataset.id, on: db) else {
                throw DomainError.notFound("A pull of \(code)")
            }
            return pull
        }
    }

    public func remove(code: String, by actor: Principal) async throws {
        _ = try await platform.write(actor, "dataset.pull.remove", target: "dataset", summary: { _ in (code, "") }) {
            db in
            let dataset = try await platform.datasetLoads.owned(code, by: actor, on: db)
            guard try await pulls.find(datasetId: dataset.id, on: db) != nil else {
                throw DomainError.notFound("A pull of \(code)")
            }
            try await pulls.delete(datasetId: dataset.id, on: db)
            return true
        }
    }

    /// Pulls now, whatever the schedule says (the owner's "pull now").
    public func runNow(code: String, by actor: Principal) async throws -> DatasetPull {
        let pull = try await pull(code: code, by: actor)
        guard let done = try await run(pull) else {
            throw DomainError(.conflict, code: "pull_running", "A pull of \(code) is under way; look again shortly.")
        }
        return done
    }

    /// Runs the pulls that are due, a few at a time; the number run.
    public func runDue(limit: Int = 4) async throws -> Int {
        let due = try await platform.pool.read { try await pulls.due(at: platform.now(), limit: limit, on: $0) }
        var ran = 0
        for pull in due where try await run(pull) != nil { ran += 1 }
        return ran
    }

    /// Claims and runs one pull; nil when another run holds it.
    func run(_ pull: DatasetPull) async throws -> DatasetPull? {
        let started = platform.now()
        let claimedUntil = started + Self.lease
        guard try await platform.pool.transaction({ try await pulls.claim(pull, until: claimedUntil, on: $0) }) else {
            return nil
        }
        var done = pull
        done.lastRunAt = started
        (done.lastStatus, done.lastError) = (nil, nil)
        do {
            try await fetchAndLoad(&done)
            done.failures = 0
        } catch {
            done.lastOutcome = .failed
            done.lastError = done.lastError ?? Self.describe(error)
            done.failures += 1
        }
        let finished = platform.now()
        done.nextRunAt = PullSchedule.next(
            after: finished, intervalMinutes: done.intervalMinutes, failures: done.failures)
        done.updatedAt = max(finished, pull.updatedAt)
        let saved = done
        try await platform.pool.transaction { try await pulls.finish(saved, claimedUntil: claimedUntil, on: $0) }
        return done
    }

    private func fetchAndLoad(_ pull: inout DatasetPull) async throws {
        guard let user = try await platform.pool.read({ try await UserRepository().find(id: pull.ownerId, on: $0) }),
            user.active
        else {
            pull.lastError = "The account that set this pull is no longer active; set it again."
            throw DomainError(.forbidden, code: "owner_gone", pull.lastError ?? "")
        }
        let answer = try await PullFetcher().fetch(pull, into: platform.settings.attachmentDirectory + "/.loads")
        defer { if let file = answer.file { try? FileManager.default.removeItem(atPath: file) } }
        pull.lastStatus = answer.status
        switch answer.status {
        case 304:
            pull.lastOutcome = .notModified
            return
        case 200:
            break
        default:
            pull.lastError = "The server answered HTTP \(answer.status)."
            throw DomainError(.invalid, code: "pull_failed", pull.lastError ?? "")
        }
        guard let file = answer.file else { throw URLError(.cannotOpenFile) }
        let hash = try PullFetcher.hash(of: file)
        (pull.etag, pull.lastModified) = (answer.etag, answer.lastModified)
        if hash == pull.bodyHash {
            pull.lastOutcome = .unchanged
            return
        }
        let load = try await platform.datasetLoads.load(
            code: pull.datasetCode, format: pull.format, source: .pull, dryRun: false,
            chunks: try LoadSpool(path: file).chunks(), by: .staff(user))
        (pull.bodyHash, pull.lastVersion, pull.lastOutcome) = (hash, load.version, .loaded)
    }

    /// What went wrong, in words fit for the owner: the load's own refusal, or a class of network
    /// failure (the log is no probe of the network).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DomainError: error.message
        case let error as URLError:
            error.code == .timedOut ? "The server did not answer in time." : "The server could not be reached."
        default: "The pull failed."
        }
    }
}
