import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /api/v1/monitoring/stream`: server-sent events of alarms and device state changes in the
/// caller's area, with a comment line every 15 s to keep proxies from closing it. `max=N` ends
/// the stream after N events (tests and simple pollers). Each event carries its outbox sequence as
/// its `id`, so a browser reconnecting (to this node or another) with `Last-Event-ID` is first sent
/// what it missed. At a graceful shutdown the stream ends, and the browser reconnects elsewhere.
/// Every buffer on the way is bounded (a
/// slow reader loses its oldest events), and one principal holds at most `web.streamsPerPrincipal`
/// streams at once.
struct MonitoringStreamController {
    let platform: Platform
    let slots: StreamSlots

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "monitoring/stream", .allStaff,
            RouteDoc(
                "Server-sent events of alarms (event: alarm) and device state changes (event: device) in the caller's area; a comment every 15 s keeps it open; also warning and supervision events (预警督办), incident events, and, for the video review queue's readers, detection events (a detection put to review or reviewed)",
                .monitoring,
                parameters: [
                    .query("max", .integer(minimum: 0), "end the stream after this many events"),
                    .header(
                        "Last-Event-ID", .integer(minimum: 0),
                        "the id of the last event seen: the events after it are sent first (a reconnecting browser sends it)"
                    ),
                ],
                success: .ok(.eventStream, "text/event-stream"),
                answers: [.problem(429, "too_many_streams: this account already holds its share of live streams")])
        ) { request, _, principal in
            let limit = try request.queryInt("max")
            let after = try Self.lastEventId(request)
            let slot = "\(principal.kind.rawValue):\(principal.id)"
            guard slots.acquire(slot) else {
                throw Problem(
                    status: .tooManyRequests, code: "too_many_streams",
                    detail: "This account has \(slots.limit) live streams open; close one first.")
            }
            let slotHolder = SlotHolder(slots: slots, key: slot)
            // A handler's stream carries only what their lists show: their department's warnings
            // and the orders addressed to them.
            let events = try await platform.monitoring.events.subscribe(scopePath: principal.listScope, after: after)
                .filter { SupervisionService.mayFollow($0.event, principal) }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    defer { withExtendedLifetime(slotHolder) {} }
                    let (chunks, output) = AsyncStream<String>.makeStream(
                        bufferingPolicy: .bufferingNewest(MonitoringEvents.buffered))
                    let relay = Task {
                        var sent = 0
                        if let limit, limit <= 0 {
                            output.finish()
                            return
                        }
                        for await item in events {
                            output.yield("id: \(item.seq)\nevent: \(item.event.name)\ndata: \(item.event.json())\n\n")
                            sent += 1
                            if let limit, sent >= limit { break }
                        }
                        output.finish()
                    }
                    let heartbeat = Task {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(15))
                            output.yield(": keep-alive\n\n")
                        }
                    }
                    defer {
                        relay.cancel()
                        heartbeat.cancel()
                    }
                    try await writer.write(ByteBuffer(string: ": connected\nretry: 2000\n\n"))
                    try await withGracefulShutdownHandler {
                        for await chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                    } onGracefulShutdown: {
                        output.finish()
                    }
                    try await writer.finish(nil)
                })
        }
        return routes
    }

    /// `Last-Event-ID`, when sent: an event id (a non-negative integer).
    static func lastEventId(_ request: Request) throws -> Int64? {
        guard let text = request.headers[HTTPField.Name("Last-Event-ID")!], !text.isEmpty else { return nil }
        guard let id = Int64(text.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw Problem(
                status: .badRequest, code: "invalid_last_event_id",
                detail: "Last-Event-ID must be the id of an event: a non-negative integer.")
        }
        return id
    }
}

/// A held stream slot, given back when the last reference goes: at the end of the body, or with
/// the response if its body is never written (a client gone before the head was sent).
final class SlotHolder: Sendable {
    let slots: StreamSlots
    let key: String
    init(slots: StreamSlots, key: String) { (self.slots, self.key) = (slots, key) }
    deinit { slots.release(key) }
}

/// Live streams open per principal, so one account cannot hold the server's memory and
/// connections open without bound.
final class StreamSlots: Sendable {
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire(_ key: String) -> Bool {
        open.withLock { open in
            guard open[key, default: 0] < limit else { return false }
            open[key, default: 0] += 1
            return true
        }
    }

    /// Streams open in all.
    var total: Int { open.withLock { $0.values.reduce(0, +) } }

    func release(_ key: String) {
        open.withLock { open in
            let left = open[key, default: 1] - 1
            open[key] = left > 0 ? left : nil
        }
    }
}
