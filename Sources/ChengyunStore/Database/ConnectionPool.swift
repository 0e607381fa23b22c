/// A fixed set of connections handed out one caller at a time, first come first served.
actor ConnectionPool<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []
    nonisolated let all: [Connection]

    init(_ connections: [Connection]) {
        idle = connections
        all = connections
    }

    func acquire() async -> Connection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }
}

extension ConnectionPool {
    nonisolated func withConnection<T>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }
}
