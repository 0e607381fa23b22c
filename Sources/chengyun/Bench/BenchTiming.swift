/// How the benches time their work: a duration in milliseconds, one piece of work timed, and a
/// piece of work timed into a histogram (once synchronous, once asynchronous).
enum BenchTiming {
    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func once<T>(_ work: () async throws -> T) async rethrows -> (value: T, ms: Double) {
        let started = ContinuousClock.now
        let value = try await work()
        return (value, milliseconds(ContinuousClock.now - started))
    }

    @discardableResult
    static func timed<T>(_ latencies: inout Latencies, _ work: () throws -> T) rethrows -> T {
        let started = ContinuousClock.now
        let result = try work()
        latencies.record(milliseconds: milliseconds(ContinuousClock.now - started))
        return result
    }

    @discardableResult
    static func timed<T>(_ latencies: inout Latencies, _ work: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        let result = try await work()
        latencies.record(milliseconds: milliseconds(ContinuousClock.now - started))
        return result
    }
}
