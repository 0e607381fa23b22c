import Synchronization

/// Failed logins under names no account has, summarised a minute at a time so that a flood of
/// guessed names does not write one audit entry each. The first failure of a minute produces
/// the summary (with the count of the earlier minute's tallied failures and a few of their
/// names); the rest of that minute are only counted.
public final class UnknownLoginTally: Sendable {
    private struct Window {
        var startedAt: Int64? = nil
        var tallied = 0
        var names: [String] = []
    }
    private let window = Mutex(Window())
    let windowMillis: Int64

    public init(windowMillis: Int64 = 60_000) { self.windowMillis = windowMillis }

    /// The audit summary to write now, or nil when this failure is only tallied.
    public func summary(name: String, at now: Int64) -> String? {
        window.withLock { window in
            let shown = String(name.prefix(40))
            if let startedAt = window.startedAt, now - startedAt < windowMillis {
                window.tallied += 1
                if window.names.count < 5 && !window.names.contains(shown) { window.names.append(shown) }
                return nil
            }
            let earlier =
                window.tallied == 0
                ? "" : "; \(window.tallied) more in the minute before (\(window.names.joined(separator: ", ")))"
            window = Window(startedAt: now, tallied: 0, names: [])
            return "unknown username \(shown)\(earlier)"
        }
    }
}
