import Testing

@testable import ChengyunStore

/// The hand-off between a load's cleaning and its writes: batches in order, never more than the
/// capacity waiting, the producer's failure reaching the consumer, and a consumer that goes away
/// releasing a producer that waits.
@Suite struct BatchHandOffTests {
    private struct Failure: Error, Equatable {}

    @Test func batchesArriveInOrderAndThenTheEnd() async throws {
        let handOff = BatchHandOff<Int>(capacity: 2)
        let producer = Task {
            for n in 0..<100 { try await handOff.put(n) }
            handOff.finish()
        }
        var taken: [Int] = []
        while let n = try await handOff.take() { taken.append(n) }
        try await producer.value
        #expect(taken == Array(0..<100))
        #expect(try await handOff.take() == nil, "the end stays the end")
    }

    @Test func aProducerWaitsWhileTheCapacityIsWaiting() async throws {
        let handOff = BatchHandOff<Int>(capacity: 2)
        let progress = Counter()
        let producer = Task {
            for n in 0..<5 {
                try await handOff.put(n)
                await progress.add()
            }
            handOff.finish()
        }
        // Nothing taken: the first put returns, the second fills the capacity and waits.
        try await Task.sleep(for: .milliseconds(200))
        #expect(await progress.value == 1)
        #expect(try await handOff.take() == 0)
        try await Task.sleep(for: .milliseconds(200))
        #expect(await progress.value == 2)
        var rest: [Int] = []
        while let n = try await handOff.take() { rest.append(n) }
        try await producer.value
        #expect(rest == [1, 2, 3, 4])
    }

    @Test func theProducersFailureReachesTheConsumer() async throws {
        let handOff = BatchHandOff<Int>()
        try await handOff.put(1)
        handOff.finish(Failure())
        #expect(try await handOff.take() == 1, "what was handed on before the failure is still taken")
        await #expect(throws: Failure.self) { try await handOff.take() }
    }

    @Test func aConsumerThatGoesReleasesAWaitingProducer() async throws {
        let handOff = BatchHandOff<Int>(capacity: 1)
        let producer = Task { for n in 0..<10 { try await handOff.put(n) } }
        try await Task.sleep(for: .milliseconds(100))
        handOff.close()
        await #expect(throws: CancellationError.self) { try await producer.value }
        await #expect(throws: CancellationError.self) { try await handOff.put(11) }
    }

    private actor Counter {
        var value = 0
        func add() { value += 1 }
    }
}

extension BatchHandOffTests {
    @Test func aFailureStaysAFailureAndClosingNeverReadsAsTheEnd() async throws {
        let failed = BatchHandOff<Int>()
        failed.finish(Failure())
        failed.finish()
        await #expect(throws: Failure.self) { try await failed.take() }

        let closed = BatchHandOff<Int>()
        try await closed.put(1)
        closed.finish()
        closed.close()
        await #expect(throws: CancellationError.self, "a batch thrown away is not an end") { try await closed.take() }

        let waiting = BatchHandOff<Int>()
        let consumer = Task { try await waiting.take() }
        try await Task.sleep(for: .milliseconds(100))
        waiting.close()
        await #expect(throws: CancellationError.self) { try await consumer.value }
    }
}
