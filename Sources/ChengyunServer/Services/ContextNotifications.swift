import ChengyunStore
import Logging

extension Periodic {
    /// NGSI-LD's periodic notifications, on the leading node: every two seconds the subscriptions
    /// whose `timeInterval` is over get their entities as they stand (sent by the webhook
    /// dispatcher like every other notification).
    static func contextNotifications(_ platform: Platform, logger: Logger) -> Periodic {
        let notifier = ContextNotifier(platform: platform, logger: logger)
        return Periodic(name: "ngsi-ld notifications", every: .milliseconds(ContextNotifier.tick), logger: logger) {
            try await notifier.sweep()
        }
    }
}
