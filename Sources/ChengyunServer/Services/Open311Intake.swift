import ChengyunStore
import Logging
import ServiceLifecycle

extension Periodic {
    /// Asynchronous Open311 intake: files the submissions `POST requests` stored (and answered
    /// with a token) as cases, oldest first, within about half a second. Submissions are durable
    /// before they are answered, so ones left by a stop are filed after the next start.
    static func open311Intake(_ platform: Platform, logger: Logger) -> Periodic {
        Periodic(name: "open311 intake", every: .milliseconds(500), logger: logger) {
            while try await platform.open311.processPending() > 0 && !Task.isShuttingDownGracefully {}
        }
    }
}
