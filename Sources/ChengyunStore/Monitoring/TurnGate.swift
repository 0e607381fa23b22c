import Synchronization

/// The gate in front of the monitoring memory: one holder at a time, first come first served.
/// Unlike an actor's, it is let go synchronously, so a turn can let go from inside the call that
/// fixes its place in the writer's queue (`DatabasePool.transaction(queued:_:)`), which must not
/// suspend.
final class TurnGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let memory: MonitoringMemory

    init(_ memory: MonitoringMemory) { self.memory = memory }

    /// Waits for the gate; the pass lets it go (once, whoever calls first).
    func enter() async -> GatePass {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let free = state.withLock { state in
                if state.held {
                    state.waiters.append(waiter)
                    return false
                }
                state.held = true
                return true
            }
            if free { waiter.resume() }
        }
        return GatePass(gate: self, memory: memory)
    }

    /// Hands the gate to the next waiter, or leaves it open.
    fileprivate func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// One holding of the gate, with the memory it guards.
final class GatePass: Sendable {
    private let gate: TurnGate
    private let left = Atomic(false)
    let memory: MonitoringMemory

    fileprivate init(gate: TurnGate, memory: MonitoringMemory) { (self.gate, self.memory) = (gate, memory) }

    func leave() {
        if !left.exchange(true, ordering: .acquiringAndReleasing) { gate.leave() }
    }
}
