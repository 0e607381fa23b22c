import ChengyunCore
import Logging

/// How people are reminded beyond the in-app lists and the live stream: an SMS gateway or e-mail
/// would implement this; the default writes each reminder to the log.
public protocol Notifier: Sendable {
    func notify(recipients: [String], subject: String, text: String) async
}

public struct LogNotifier: Notifier {
    let logger: Logger
    public init(logger: Logger = Logger(label: "chengyun.notify")) { self.logger = logger }

    public func notify(recipients: [String], subject: String, text: String) async {
        logger.info(
            "reminder",
            metadata: ["to": "\(recipients.joined(separator: ","))", "subject": "\(subject)", "text": "\(text)"])
    }
}
