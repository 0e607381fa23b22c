import ChengyunCore
import ChengyunStore
import Hummingbird
import NIOCore

/// `GET /api/v1/monitoring/stream`: server-sent events of alarms and device state changes in the
/// caller's area, with a comment line every 15 s to keep proxies from closing it. `max=N` ends
/// the stream after N events (tests and simple pollers).
struct MonitoringStreamController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "monitoring/stream", .allStaff) { request, _, principal in
            let limit = try request.queryInt("max")
            let events = platform.monitoring.events.subscribe(scopePath: principal.listScope)
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                let (chunks, output) = AsyncStream<String>.makeStream()
                let relay = Task {
                    var sent = 0
                    if let limit, limit <= 0 {
                        output.finish()
                        return
                    }
                    for await event in events {
                        output.yield("event: \(event.name)\ndata: \(event.json())\n\n")
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
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                for await chunk in chunks { try await writer.write(ByteBuffer(string: chunk)) }
                try await writer.finish(nil)
            })
        }
        return routes
    }
}
