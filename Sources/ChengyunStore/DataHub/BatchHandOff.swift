import Synchronization

/// Batches handed from one producing task to one consuming task, at most `capacity` waiting: a
/// load's cleaning runs a batch or two ahead of its writes, on a core of its own, and memory
/// stays flat however much faster one side is than the other.
final class BatchHandOff<Batch: Sendable>: Sendable {
    private struct State {
        var waiting: [Batch] = []
        /// The producer's end: nil while it runs, then success or its failure.
        var end: Result<Void, any Error>?
        /// The consumer has gone (its transaction failed): the producer stops at its next batch.
        var closed = false
        var taker: CheckedContinuation<Batch?, any Error>?
        var giver: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 2) { self.capacity = max(1, capacity) }

    /// Hands a batch on; waits while `capacity` are waiting. Throws once the consumer has gone.
    func put(_ batch: Batch) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let (resume, taker): (Result<Void, any Error>?, CheckedContinuation<Batch?, any Error>?) =
                state.withLock { state in
                    if state.closed { return (.failure(CancellationError()), nil) }
                    if let taker = state.taker {
                        state.taker = nil
                        return (.success(()), taker)
                    }
                    state.waiting.append(batch)
                    if state.waiting.count < capacity { return (.success(()), nil) }
                    state.giver = continuation
                    return (nil, nil)
                }
            taker?.resume(returning: batch)
            if let resume { continuation.resume(with: resume) }
        }
    }

    /// The next batch; nil once the producer has finished; the producer's failure if it failed.
    func take() async throws -> Batch? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Batch?, any Error>) in
            let (answer, giver): (Result<Batch?, any Error>?, CheckedContinuation<Void, any Error>?) =
                state.withLock { state in
                    if !state.waiting.isEmpty {
                        let batch = state.waiting.removeFirst()
                        let giver = state.giver
                        state.giver = nil
                        return (.success(batch), giver)
                    }
                    switch state.end {
                    case .success: return (.success(nil), nil)
                    case .failure(let error): return (.failure(error), nil)
                    case nil:
                        state.taker = continuation
                        return (nil, nil)
                    }
                }
            giver?.resume()
            if let answer { continuation.resume(with: answer) }
        }
    }

    /// The producer is done: `error` is why it stopped early, nil when it read everything. Only
    /// the first end counts: a failure is never turned into success.
    func finish(_ error: (any Error)? = nil) {
        let taker = state.withLock { state -> CheckedContinuation<Batch?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.taker = nil }
            return state.taker
        }
        if let error { taker?.resume(throwing: error) } else { taker?.resume(returning: nil) }
    }

    /// The hand-off is over (the consumer's transaction failed): a producer waiting to hand on is
    /// released, later batches are refused, and a consumer taking gets the producer's failure or
    /// `CancellationError` — never an end that would read as the whole file.
    func close() {
        let (giver, taker) = state.withLock {
            state -> (CheckedContinuation<Void, any Error>?, CheckedContinuation<Batch?, any Error>?) in
            state.closed = true
            state.waiting.removeAll()
            if case .failure = state.end {} else { state.end = .failure(CancellationError()) }
            defer { (state.giver, state.taker) = (nil, nil) }
            return (state.giver, state.taker)
        }
        giver?.resume(throwing: CancellationError())
        taker?.resume(throwing: CancellationError())
    }
}
