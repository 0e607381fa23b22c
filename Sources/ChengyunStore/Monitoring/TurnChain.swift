import Synchronization

/// The order monitoring turns write in on PostgreSQL, where nothing else keeps it. A turn joins
/// the chain while it holds the gate, so the chain's order is the gate's. A turn judged in the
/// gate lets go of it and writes in two parts (`MonitoringHub.pipelined`): its readings once the
/// turn before has written its own, then — once the turn before has finished — what depends on
/// the memory (rule states, alarms, devices, events). So a turn never waits in the database for
/// rows of a turn after it, and when the turn before failed, this one was judged on changes that
/// never happened: it rolls back and is judged again.
final class TurnChain: Sendable {
    private let tail = Mutex<TurnLink?>(nil)

    /// This turn's link and the one before it (nil when the chain was empty). Call holding the gate.
    func join() -> (previous: TurnLink?, mine: TurnLink) {
        let mine = TurnLink()
        let previous = tail.withLock { tail in
            defer { tail = mine }
            return tail
        }
        return (previous, mine)
    }
}

/// A turn's way into the chain, and its place once it has joined (nil before).
final class ChainTicket: Sendable {
    private let chain: TurnChain
    private let joined = Mutex<(previous: TurnLink?, mine: TurnLink)?>(nil)

    init(_ chain: TurnChain) { self.chain = chain }

    /// Joins the chain (call holding the gate, once).
    func join() -> (previous: TurnLink?, mine: TurnLink) {
        let place = chain.join()
        joined.withLock { $0 = place }
        return place
    }

    var place: (previous: TurnLink?, mine: TurnLink)? { joined.withLock { $0 } }
}

/// One turn's place in the chain: when it has written its readings, and whether it committed once
/// it has finished. A link finishes only after the link before it has, so a finished link means
/// every earlier turn is done; and a turn writes its readings only after the turn before has.
/// Its waits do not end on cancellation, on purpose: a turn that left its place early would let
/// the turns after it write out of order, and its own link must still finish for them. Nothing
/// waits for ever: `MonitoringHub.chained` finishes every link it hands out, committed or not,
/// so a wait lasts as long as the turn before it.
final class TurnLink: Sendable {
    private struct State {
        var wrote = false
        var committed: Bool?
        var writeWaiters: [CheckedContinuation<Void, Never>] = []
        var finishWaiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state = Mutex(State())

    /// The turn has written what needs no order (its readings).
    func markWritten() {
        let waiters = state.withLock { state in
            state.wrote = true
            defer { state.writeWaiters = [] }
            return state.writeWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Finishes the link (and marks it written): wakes every waiter with whether the turn committed.
    func finish(committed: Bool) {
        markWritten()
        let waiters = state.withLock { state in
            state.committed = committed
            defer { state.finishWaiters = [] }
            return state.finishWaiters
        }
        for waiter in waiters { waiter.resume(returning: committed) }
    }

    /// Returns once the turn has written its readings (or finished).
    func written() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if !state.wrote { state.writeWaiters.append(waiter) }
                return state.wrote
            }
            if done { waiter.resume() }
        }
    }

    /// Whether the turn committed, once it has finished.
    func committed() async -> Bool {
        await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            let committed = state.withLock { state in
                if state.committed == nil { state.finishWaiters.append(waiter) }
                return state.committed
            }
            if let committed { waiter.resume(returning: committed) }
        }
    }
}
