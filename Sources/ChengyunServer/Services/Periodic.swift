import ChengyunStore
import Logging
import ServiceLifecycle

/// A piece of background work run at a fixed interval until the service group shuts down: the
/// one loop every clock uses. A failed round is logged and the next one runs on time; a round cut
/// off by shutdown is not an error (the work is written to be finished by the next process).
struct Periodic: Service {
    let name: String
    let every: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Void
    /// Run once more after the last round, at shutdown (e.g. flushing what is held in memory).
    var atShutdown: (@Sendable () async throws -> Void)? = nil

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await work()
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                logger.error("\(name)", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
        guard let atShutdown else { return }
        do { try await atShutdown() } catch {
            logger.error("\(name) at shutdown", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}

extension Periodic {
    /// Files uploaded but linked to no case within a day are removed, once an hour.
    static func attachmentCleanup(_ platform: ChengyunStore.Platform, logger: Logger) -> Periodic {
        Periodic(name: "attachment cleanup", every: .seconds(3600), logger: logger) {
            let removed = try await platform.files.removeUnlinked()
            if removed > 0 { logger.info("removed unlinked attachments", metadata: ["files": "\(removed)"]) }
        }
    }

    /// The audit chain's head written to the anchor file outside the database, once a day (and
    /// once at start, so a new deployment has an anchor from its first day).
    static func auditAnchor(_ platform: ChengyunStore.Platform, file: AuditAnchorFile, logger: Logger) -> Periodic {
        Periodic(name: "audit anchor", every: .seconds(86_400), logger: logger) {
            let seq = try await file.anchor(platform.pool, at: platform.now())
            logger.info("anchored the audit chain", metadata: ["seq": "\(seq)", "file": "\(file.path)"])
        }
    }
}
