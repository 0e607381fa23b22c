import ChengyunCore
import Logging
import PostgresNIO

extension MonitoringEvents {
    /// Wakes the relay on each NOTIFY of the outbox's channel, from any node, until cancelled
    /// (PostgreSQL; on SQLite every change is made in this process and wakes it itself). A
    /// dropped listening connection is logged and opened again; the relay's poll every second
    /// covers the time between, so a silent listener delays events by a second at most, never loses them.
    public func listen(logger: Logger) async {
        guard let pool = pool as? PostgresDatabasePool else { return }
        while !Task.isCancelled {
            do {
                let connection = try await pool.dedicatedConnection()
                defer { Task { try? await connection.close() } }
                logger.debug("listening for events", metadata: ["channel": "\(EventOutbox.channel)"])
                // Anything committed while nobody listened is read first.
                wake()
                try await withTaskCancellationHandler {
                    try await connection.listen(on: EventOutbox.channel) { notifications in
                        for try await _ in notifications { wake() }
                    }
                } onCancel: {
                    Task { try? await connection.close() }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "event listener dropped; listening again", metadata: ["error": "\(loggedError(error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
