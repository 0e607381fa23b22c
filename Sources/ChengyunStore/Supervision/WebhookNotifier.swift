import ChengyunCore
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging

/// Reminders to a webhook: each one POSTed as JSON (`{"recipients": […], "subject": "…",
/// "text": "…", "at": epoch ms}`) to the configured URL, with a short timeout; a failure is logged
/// and does not hold up the sweep (the in-app lists and the live stream have it anyway).
public struct WebhookNotifier: Notifier {
    let url: URL
    let logger: Logger

    public init(url: URL, logger: Logger = Logger(label: "chengyun.notify")) {
        self.url = url
        self.logger = logger
    }

    struct Payload: Codable, Equatable {
        var recipients: [String]
        var subject: String
        var text: String
        var at: Int64
    }

    public func notify(recipients: [String], subject: String, text: String) async {
        var request = URLRequest(url: url, timeoutInterval: 5)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.httpBody = try? JSONEncoder().encode(
            Payload(recipients: recipients, subject: subject, text: text, at: EpochMillis.now()))
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            if let status = (response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
                logger.warning(
                    "webhook refused a reminder", metadata: ["status": "\(status)", "subject": "\(subject)"])
            }
        } catch {
            logger.warning(
                "webhook unreachable", metadata: ["error": "\(loggedError(error))", "subject": "\(subject)"])
        }
    }
}

/// Every reminder to each of several notifiers (the log, and the webhook when one is set).
public struct FanOutNotifier: Notifier {
    let notifiers: [any Notifier]
    public init(_ notifiers: [any Notifier]) { self.notifiers = notifiers }

    public func notify(recipients: [String], subject: String, text: String) async {
        for notifier in notifiers { await notifier.notify(recipients: recipients, subject: subject, text: text) }
    }
}
