import ArgumentParser
import ChengyunCore
import Foundation
import NIOCore
import Synchronization

/// The load generator `bench ingest` starts in its own process: keeps `--connections` POSTs in
/// flight, each a CSV of `--lines` devices stamped with the time it is built. Given several
/// `--url`s (`bench ingest --nodes N`), connection k posts to node k mod N, and each node has its
/// own devices (those whose number is the node's modulo N), as gateways kept on one node each by
/// the proxy would: a device's readings all reach one node, in order. A request carries a device
/// once at most (fewer lines when a node has fewer devices than `--lines`). With `--resend-every N`
/// each connection sends its Nth, 2Nth, … request twice; it reports the repeats the server
/// counted and the readings sent a second time where both sendings were taken.
struct BenchIngestClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-client", abstract: "Load generator for bench ingest (run by it).",
        shouldDisplay: false)
    @Option var url: [String]
    @Option var key: String
    @Option var devices = 10_000
    @Option var seconds = 20
    @Option var connections = 4
    @Option var lines = 5000
    @Option var resendEvery = 0

    func run() async throws {
        let targets = try url.map { url in
            guard let parsed = URL(string: url), let host = parsed.host, let port = parsed.port else {
                throw ValidationError("bad --url \(url)")
            }
            return (host: host, port: port)
        }
        guard !targets.isEmpty else { throw ValidationError("--url: at least one") }
        let codes = (0..<devices).map { Array((BenchIngest.code($0) + ",").utf8) }
        let header = Array("device,at,pm25,pm10,no2,o3\n".utf8)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let counters = LoadCounters()
        let (lines, key, connections, resendEvery) = (self.lines, self.key, self.connections, self.resendEvery)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in 0..<connections {
                let node = connection % targets.count
                let (host, port) = targets[node]
                // This node's devices, and this connection's place among the node's connections.
                let mine = Array(stride(from: node, to: codes.count, by: targets.count))
                // A device once a request at most: a reading twice is a repeat, stored once.
                let lines = min(lines, mine.count)
                let (place, siblings) = (
                    connection / targets.count, (0..<connections).filter { $0 % targets.count == node }.count
                )
                group.addTask { [counters] in
                    try await BenchHTTPConnection(host: host, port: port).run { post in
                        var round = place
                        var body = ByteBuffer()
                        while ContinuousClock.now < deadline {
                            // Each request: the next `lines` devices, all at one fresh millisecond.
                            let stamp = counters.lastStamp.withLock { last in
                                let now = max(EpochMillis.now(), last + 1)
                                last = now
                                return now
                            }
                            let stampBytes = Array("\(stamp),".utf8)
                            body.clear()
                            body.writeBytes(header)
                            for line in 0..<lines {
                                let device = mine[(round * lines + line) % mine.count]
                                body.writeBytes(codes[device])
                                body.writeBytes(stampBytes)
                                // Mostly clean air; one device in 400 spikes each round (an alarm) and recovers.
                                let spike = (device + round) % 400 == 0
                                let pm25 = spike ? 160 + device % 40 : 20 + (device * 7 + round * 13) % 45
                                body.writeString("\(pm25),\(pm25 + 30),\(30 + device % 20),\(60 + round % 30)\n")
                            }
                            // Every `resendEvery`-th request goes again as it was, as a gateway
                            // that lost the answer resends: all its readings are repeats.
                            let sends = resendEvery > 0 && (round / siblings + 1) % resendEvery == 0 ? 2 : 1
                            var answered = 0
                            for _ in 0..<sends {
                                let (status, answer) = try await post(
                                    "/api/v1/telemetry", [("Content-Type", "text/csv"), ("X-API-Key", key)], body)
                                let report =
                                    status == 200
                                    ? (try? JSONSerialization.jsonObject(with: Data(answer.readableBytesView)))
                                        as? [String: Any] : nil
                                let (accepted, repeats) = (
                                    report?["accepted"] as? Int ?? 0, report?["duplicates"] as? Int ?? 0
                                )
                                counters.totals.withLock {
                                    $0.accepted += accepted
                                    $0.repeats += repeats
                                    $0.requests += 1
                                    $0.failed += status == 200 ? 0 : 1
                                }
                                if status == 200 { answered += 1 }
                            }
                            // Repeats only when both sendings were taken (a first refused stored nothing).
                            if answered == 2 { counters.totals.withLock { $0.resent += lines * 4 } }
                            round += siblings
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let t = counters.totals.withLock { $0 }
        print(
            #"{"accepted":\#(t.accepted),"repeats":\#(t.repeats),"resent":\#(t.resent),"requests":\#(t.requests),"failed":\#(t.failed),"seconds":\#(seconds)}"#
        )
    }
}

/// Shared by the client's connections.
final class LoadCounters: Sendable {
    let lastStamp = Mutex<Int64>(0)
    /// What the server answered, and the readings sent a second time (`--resend-every`).
    let totals = Mutex<(accepted: Int, repeats: Int, resent: Int, requests: Int, failed: Int)>((0, 0, 0, 0, 0))
}
