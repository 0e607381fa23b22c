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
            PullSchedule.intervals.contains(input.intervalMinutes), "intervalMinutes", "invalid_value",
            "Every 15 minutes to once a week (10,080 minutes).")
        try validator.finish()
        guard actor.kind == .staff else { throw DomainError.outOfScope() }
        // Looked up for the dataset's owner alone.
        _ = try await platform.pool.read { try await platform.datasetLoads.owned(code, by: actor, on: $0) }
        try await OutboundAddress.checkNames([("url", input.url)])
        let now = platform.now()
        return try await platform.write(
            actor, "dataset.pull.set", target: "dataset",
            summary: { ($0.datasetCode, "\($0.url) every \($0.intervalMinutes) min") }
        ) { db in
            let dataset = try await platform.datasetLoads.owned(code, by: actor, on: db)
            let pull = DatasetPull(
                datasetId: dataset.id, datasetCode: code, url: input.url, format: input.format,
                intervalMinutes: input.intervalMinutes, ownerId: actor.id, etag: nil, lastModified: nil,
                bodyHash: nil, nextRunAt: now, claimedUntil: nil, lastRunAt: nil, lastOutcome: nil, lastStatus: nil,
                lastError: nil,
                lastVersion: nil, failures: 0, createdAt: now, updatedAt: now)
            try await pulls.save(pull, on: db)
            return pull
        }
    }

    public func pull(code: String, by actor: Principal) async throws -> DatasetPull {
        try await platform.pool.read { db in
            let dataset = try await ownedDataset(code, by: actor, on: db)
            guard let pull = try await pulls.find(datasetId: dataset.id, on: db) else {
                throw DomainError.notFound("A pull of \(code)")
            }
            return pull
        }
    }

    public func remove(code: String, by actor: Principal) async throws {
        _ = try await platform.write(actor, "dataset.pull.remove", target: "dataset", summary: { _ in (code, "") }) {
            db in
            let dataset = try await ownedDataset(code, by: actor, on: db)
            guard try await pulls.find(datasetId: dataset.id, on: db) != nil else {
                throw DomainError.notFound("A pull of \(code)")
            }
            try await pulls.delete(datasetId: dataset.id, on: db)
            return true
        }
    }

    /// The dataset, if the caller owns it, whatever its state: a withdrawn dataset's pull can still
    /// be read and stopped.
    private func ownedDataset(_ code: String, by actor: Principal, on db: any SQLDatabase) async throws -> Dataset {
        let catalog = platform.dataCatalog
        let dataset = try await catalog.visible(code, to: actor, on: db)
        guard catalog.standing(of: actor, over: dataset).contains(.owner) else {
            throw DomainError(.forbidden, code: "not_dataset_owner", "Only the owning department sees its pulls.")
        }
        return dataset
    }

    /// Pulls now, whatever the schedule says (the owner's "pull now"), audited under the caller.
    public func runNow(code: String, by actor: Principal) async throws -> DatasetPull {
        let pull = try await pull(code: code, by: actor)
        guard let done = try await run(pull, due: false) else {
            throw DomainError(.conflict, code: "pull_running", "A pull of \(code) is under way; look again shortly.")
        }
        return try await platform.write(
            actor, "dataset.pull.run", target: "dataset",
            summary: {
                ($0.datasetCode, "\($0.lastOutcome?.rawValue ?? "") v\($0.lastVersion.map(String.init) ?? "-")")
            }
        ) { _ in done }
    }

    /// Runs the pulls that are due, a few at a time; the number run.
    public func runDue(limit: Int = 4) async throws -> Int {
        let due = try await platform.pool.read { try await pulls.due(at: platform.now(), limit: limit, on: $0) }
        var ran = 0
        for pull in due where try await run(pull, due: true) != nil { ran += 1 }
        return ran
    }

    /// Claims and runs one pull (a scheduled run only while it is still due); nil when another run
    /// holds it or the pull is gone.
    func run(_ pull: DatasetPull, due: Bool) async throws -> DatasetPull? {
        let started = platform.now()
        let until = started + Self.lease
        let claimed = try await platform.pool.transaction {
            try await pulls.claim(datasetId: pull.datasetId, at: started, until: until, due: due, on: $0)
        }
        // The pull as it stands under the claim (set again since it was read, say).
        guard claimed,
            var done = try await platform.pool.read({ try await pulls.find(datasetId: pull.datasetId, on: $0) })
        else { return nil }
        done.lastRunAt = started
        (done.lastStatus, done.lastError) = (nil, nil)
        do {
            switch try await attempt(done, claimedUntil: until) {
            case .recorded(let loaded): return loaded
            case .settled(let settled): done = settled
            }
            done.failures = 0
        } catch {
            done.lastOutcome = .failed
            (done.lastStatus, done.lastError) = Self.describe(error)
            done.failures += 1
        }
        done.nextRunAt = PullSchedule.next(
            after: platform.now(), intervalMinutes: done.intervalMinutes, failures: done.failures)
        done.claimedUntil = nil
        let settled = done
        guard try await platform.pool.transaction({ try await pulls.finish(settled, claimedUntil: until, on: $0) })
        else {
            throw DomainError(.conflict, code: "pull_changed", "The pull was set again or removed during the run.")
        }
        return done
    }

    private enum Step {
        /// Loaded, and the pull's state written in the load's own transaction.
        case recorded(DatasetPull)
        /// Nothing to load (304, or the same body); the state is yet to be written.
        case settled(DatasetPull)
    }

    private struct HTTPFailure: Error { var status: Int }

    private func attempt(_ pull: DatasetPull, claimedUntil: Int64) async throws -> Step {
        var pull = pull
        guard let user = try await platform.pool.read({ try await UserRepository().find(id: pull.ownerId, on: $0) }),
            user.active
        else {
            throw DomainError(
                .forbidden, code: "owner_gone", "The account that set this pull is no longer active; set it again.")
        }
        let owner = Principal.staff(user)
        // Still its owner's, and still taking loads, before anything is fetched.
        _ = try await platform.pool.read { try await platform.datasetLoads.owned(pull.datasetCode, by: owner, on: $0) }
        let answer = try await PullFetcher().fetch(pull, into: LoadSpool.directory(platform.settings))
        defer { if let file = answer.file { try? FileManager.default.removeItem(atPath: file) } }
        pull.lastStatus = answer.status
        if answer.status == 304 {
            pull.lastOutcome = .notModified
            return .settled(pull)
        }
        guard answer.status == 200, let file = answer.file, let hash = answer.sha256 else {
            throw HTTPFailure(status: answer.status)
        }
        if hash == pull.bodyHash {
            (pull.etag, pull.lastModified, pull.lastOutcome) = (answer.etag, answer.lastModified, .unchanged)
            return .settled(pull)
        }
        let before = pull
        let finished = { @Sendable (load: DatasetLoad) -> DatasetPull in
            var done = before
            (done.etag, done.lastModified, done.bodyHash) = (answer.etag, answer.lastModified, hash)
            (done.lastVersion, done.lastOutcome, done.failures) = (load.version, .loaded, 0)
            done.nextRunAt = PullSchedule.next(
                after: load.finishedAt, intervalMinutes: done.intervalMinutes, failures: 0)
            done.claimedUntil = nil
            return done
        }
        // The source says its character set in its Content-Type (a GBK export, say). One not read
        // here is taken for UTF-8, as every answer was before charsets were read: bytes that are
        // not UTF-8 still stop the load (invalid_encoding), so nothing is kept garbled.
        let charset = (try? SourceCharset.of(contentType: answer.contentType).get()) ?? nil
        let load = try await platform.datasetLoads.load(
            code: pull.datasetCode, format: pull.format, charset: charset ?? .utf8, source: .pull, dryRun: false,
            chunks: try LoadSpool(path: file).chunks(), by: owner,
            committing: { load, db in
                guard try await pulls.finish(finished(load), claimedUntil: claimedUntil, on: db) else {
                    throw DomainError(
                        .conflict, code: "pull_changed", "The pull was set again or removed during the run.")
                }
            })
        return .recorded(finished(load))
    }

    /// What went wrong, in words fit for the owner, with the HTTP status when there was one: the
    /// load's own refusal, the status, or a class of network failure (the log is no probe of the
    /// network).
    private static func describe(_ error: any Error) -> (Int?, String) {
        switch error {
        case let error as HTTPFailure: (error.status, "The server answered HTTP \(error.status).")
        case let error as DomainError: (nil, error.message)
        case let error as URLError:
            (nil, error.code == .timedOut ? "The server did not answer in time." : "The server could not be reached.")
        case is PullFetcher.TooLarge: (200, "The answer is over \(PullFetcher.maxBytes >> 30) GB.")
        case is PullFetcher.ForbiddenAddress:
            (
                nil,
                "The server's name stands for a link-local or unspecified address, which the platform never fetches from."
            )
        default: (nil, "The pull failed.")
        }
    }
}
