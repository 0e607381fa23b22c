import ChengyunStore
import Logging
import Synchronization

extension Periodic {
    /// The risk map on the clock: at start every cell from scratch, then every 10 s the cells that
    /// alarms and cases touched since the last round. Rounds overlap by 10 s, so a change committed
    /// while a round ran is judged by the next (judging a cell twice changes nothing).
    static func riskClock(_ platform: Platform, logger: Logger) -> Periodic {
        let mark = RoundMark()
        return Periodic(name: "risk clock", every: .seconds(10), logger: logger) {
            let started = platform.now()
            let outcome =
                if let since = mark.last {
                    try await platform.risk.follow(since: since - 10_000)
                } else {
                    try await platform.risk.recomputeAll()
                }
            mark.last = started
            guard !outcome.changes.isEmpty else { return }
            logger.info("risk map", metadata: ["cells": "\(outcome.cells)", "changes": "\(outcome.changes.count)"])
        }
    }
}

/// When the last round started.
final class RoundMark: Sendable {
    private let value = Mutex<Int64?>(nil)
    var last: Int64? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
