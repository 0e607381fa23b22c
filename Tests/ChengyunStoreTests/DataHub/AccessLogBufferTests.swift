import ChengyunCore
import Testing

@testable import ChengyunStore

/// The node's held access-log entries: written together once `limit` are held, kept in order
/// when a write fails, and never more than `capacity` (the oldest dropped, and counted).
@Suite struct AccessLogBufferTests {
    private func entry(_ n: Int) -> AccessLogBuffer.Held {
        .init(
            entry: AccessLogEntry(
                id: "e\(n)", datasetId: "d", applicationId: nil, consumer: "staff", callerKind: "staff",
                callerId: "u", operation: "records", outcome: .admitted, at: Int64(n)),
            departmentId: nil)
    }

    @Test func heldEntriesAreTakenInOrderAndBoundedWhileTheyCannotBeWritten() {
        let buffer = AccessLogBuffer()
        #expect((0..<(AccessLogBuffer.limit - 1)).allSatisfy { !buffer.add(entry($0)) })
        #expect(buffer.add(entry(AccessLogBuffer.limit - 1)))
        let (first, dropped) = buffer.take()
        #expect(first.map(\.entry.id) == (0..<AccessLogBuffer.limit).map { "e\($0)" } && dropped == 0)
        #expect(buffer.count == 0)

        // A failed write: held again ahead of what came meanwhile.
        _ = buffer.add(entry(9_999_999))
        buffer.putBack(first)
        #expect(buffer.take().held.map(\.entry.id) == first.map(\.entry.id) + ["e9999999"])
        // Within a second of the failure no read tries a write itself; after a write, again.
        #expect((0..<AccessLogBuffer.limit).allSatisfy { !buffer.add(entry($0)) })
        buffer.written()
        #expect(buffer.add(entry(AccessLogBuffer.limit)))
        _ = buffer.take()

        // An outage: past the capacity the oldest go, counted once at the next take.
        for n in 0..<(AccessLogBuffer.capacity + 7) { _ = buffer.add(entry(n)) }
        #expect(buffer.count == AccessLogBuffer.capacity)
        let (kept, lost) = buffer.take()
        #expect(lost == 7 && kept.first?.entry.id == "e7" && kept.count == AccessLogBuffer.capacity)
        #expect(buffer.take().dropped == 0)
    }
}
