/// Monitoring turns in progress, by the generation they began in.
struct TurnLedger {
    var generation = 0
    var running: [Int: Int] = [:]

    mutating func begin() -> Int {
        running[generation, default: 0] += 1
        return generation
    }

    mutating func end(_ started: Int) {
        running[started, default: 1] -= 1
        if running[started] == 0 { running[started] = nil }
    }

    var earlierRunning: Bool { running.keys.contains { $0 < generation } }
}

/// The token a fold holds.
struct FoldTurn: Sendable {}
