import ChengyunStore
import Logging
import ServiceLifecycle

/// Asynchronous Open311 intake: files the submissions `POST requests` stored (and answered with a
/// token) as cases, oldest first, within about half a second. Submissions are durable before
/// they are answered, so ones left by a stop are filed after the next start.
struct Open311Intake: Service {
    let platform: Platform
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                while try await platform.open311.processPending() > 0 && !Task.isShuttingDownGracefully {}
            } catch {
                logger.error("open311 intake", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
        }
    }
}
