import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird
import NIOCore

/// `POST /api/v1/telemetry`: device and gateway keys send readings as a JSON array, NDJSON or
/// CSV (by Content-Type). NDJSON and CSV are read as they arrive and committed in batches, so a
/// large upload never sits whole in memory; the answer comes after the last batch is durable.
struct TelemetryController {
    let platform: Platform
    /// Lines per committed batch of a streamed upload.
    static let batchLines = 10_000
    static let maxJSONArray = 32 * 1024 * 1024

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .post, "telemetry", .key(.telemetryWrite),
            RouteDoc(
                "Send readings (device or gateway API key, scope telemetry:write). application/json: an array of readings; application/x-ndjson: one reading per line, read as it streams; text/csv: header device,at,metric,value[,lon,lat] or device,at plus one column per metric (empty or NA = absent). Each line is checked on its own: good ones are stored, repeats are counted, bad ones listed with their reason. A 2xx answer means the stored readings are committed. In a cluster any node takes any device's readings: those of devices another node judges are committed to its queue (counted in forwarded) and stored and judged there.",
                .monitoring, body: .readings, outcome: "Stored; refused lines listed",
                answers: [
                    .problem(400, "Malformed body or CSV header"), .problem(401, "No valid key"),
                    .problem(403, "Not a telemetry key; cross_site_request (cookie-borne write from another site)"),
                    .problem(415, "Unsupported Content-Type"),
                    .problem(422, "No line could be taken (errors list each)"),
                ])
        ) { request, context, principal in
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let report: IngestReport
            if type.hasPrefix("application/json") {
                report = try await json(request, context: context, by: principal)
            } else if type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/ndjson")
                || type.hasPrefix("text/csv")
            {
                report = try await stream(request, csv: type.hasPrefix("text/csv"), by: principal)
            } else {
                throw Problem(
                    status: .unsupportedMediaType, code: "unsupported_media_type",
                    detail: "Send readings as application/json (an array), application/x-ndjson or text/csv.")
            }
            if report.accepted == 0 && report.duplicates == 0 && report.rejectedCount > 0 {
                let more =
                    report.moreRejected > 0
                    ? " The first \(report.rejected.count) are listed; \(report.moreRejected) more were refused." : ""
                throw Problem(
                    status: .unprocessableContent, code: "no_valid_readings",
                    detail: "No line of the batch could be taken.\(more)",
                    errors: report.rejected.map {
                        FieldIssue(field: "line \($0.line)", code: $0.code, message: $0.message)
                    })
            }
            return JSONBody(report)
        }
        return routes
    }

    private func json(_ request: Request, context: AppRequestContext, by principal: Principal) async throws
        -> IngestReport
    {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxJSONArray)
        guard let array = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [Any] else {
            throw Problem.badRequest(
                "invalid_json", "The body is a JSON array of readings (or send application/x-ndjson).")
        }
        var report = IngestReport()
        for start in stride(from: 0, to: array.count, by: Self.batchLines) {
            var batch: [IncomingReading] = []
            var parsed = IngestReport()
            for index in start..<min(start + Self.batchLines, array.count) {
                switch TelemetryParser.reading(json: array[index], line: index + 1) {
                case .success(let reading): batch.append(reading)
                case .failure(let rejected): parsed.rejected.append(rejected)
                }
            }
            report.add(try await commit(batch, parsed, by: principal))
        }
        return report
    }

    private func stream(_ request: Request, csv: Bool, by principal: Principal) async throws -> IngestReport {
        var lines = LineSplitter()
        var layout: TelemetryParser.CSVLayout?
        var batch: [IncomingReading] = []
        var parsed = IngestReport()
        var report = IngestReport()
        batch.reserveCapacity(Self.batchLines)

        func tooLong(_ number: Int) {
            parsed.rejected.append(
                RejectedReading(
                    line: number, device: nil, code: "line_too_long",
                    message: "A line has at most \(LineSplitter.maxLineBytes / 1024) KB."))
        }

        func take(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            if csv {
                guard let layout else {
                    var text = String(decoding: line, as: UTF8.self)
                    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                    do { layout = try TelemetryParser.CSVLayout(header: text) } catch {
                        throw Problem.badRequest(error.code, error.message)
                    }
                    return
                }
                switch TelemetryParser.reading(csv: line, number: number, layout: layout) {
                case .success(let reading): batch.append(reading)
                case .failure(let rejected): parsed.rejected.append(rejected)
                }
            } else {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) else {
                    parsed.rejected.append(
                        RejectedReading(
                            line: number, device: nil, code: "invalid_json", message: "The line is not JSON."))
                    return
                }
                switch TelemetryParser.reading(json: object, line: number) {
                case .success(let reading): batch.append(reading)
                case .failure(let rejected): parsed.rejected.append(rejected)
                }
            }
        }

        for try await buffer in request.body {
            try lines.feed(buffer, take, tooLong: tooLong)
            // Refused lines count towards a batch too: a stream of only bad lines is settled (and
            // its list capped) a batch at a time rather than held whole.
            if batch.count + parsed.rejected.count >= Self.batchLines {
                report.add(try await commit(batch, parsed, by: principal))
                batch = []
                parsed = IngestReport()
            }
        }
        try lines.finish(take, tooLong: tooLong)
        if csv && layout == nil { throw Problem.badRequest("missing_header", "The CSV has no header line.") }
        report.add(try await commit(batch, parsed, by: principal))
        return report
    }

    private func commit(_ batch: [IncomingReading], _ parsed: IngestReport, by principal: Principal) async throws
        -> IngestReport
    {
        var report = parsed
        // In a cluster, fenced by the epochs of the rule shards it judges here (`ShardOwnership`).
        if !batch.isEmpty { report.add(try await platform.telemetry.ingest(batch, by: principal)) }
        report.rejected.sort { $0.line < $1.line }
        return report
    }
}

/// Splits a byte stream into lines (LF or CRLF), numbering them from 1; empty lines are skipped.
/// A line longer than `maxLineBytes` is not held: its bytes are dropped up to its end and it is
/// reported to `tooLong` by number.
struct LineSplitter {
    static let maxLineBytes = 64 * 1024
    private var carry: [UInt8] = []
    private var number = 0
    /// The line being read has passed the limit.
    private var overlong = false

    mutating func feed(
        _ buffer: ByteBuffer, _ take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void,
        tooLong: (Int) -> Void
    ) throws {
        try buffer.withUnsafeReadableBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for index in 0..<bytes.count where bytes[index] == 10 {
                number += 1
                if overlong || carry.count + (index - start) > Self.maxLineBytes {
                    overlong = false
                    carry.removeAll(keepingCapacity: true)
                    tooLong(number)
                } else if carry.isEmpty {
                    try emit(UnsafeBufferPointer(rebasing: bytes[start..<index]), take)
                } else {
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    let line = carry
                    carry.removeAll(keepingCapacity: true)
                    try line.withUnsafeBufferPointer { try emit($0, take) }
                }
                start = index + 1
            }
            guard !overlong else { return }
            if carry.count + (bytes.count - start) > Self.maxLineBytes {
                overlong = true
                carry.removeAll(keepingCapacity: false)
            } else {
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
            }
        }
    }

    mutating func finish(_ take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void, tooLong: (Int) -> Void) throws {
        if overlong {
            number += 1
            overlong = false
            tooLong(number)
            return
        }
        guard !carry.isEmpty else { return }
        number += 1
        let line = carry
        carry = []
        try line.withUnsafeBufferPointer { try emit($0, take) }
    }

    private func emit(_ line: UnsafeBufferPointer<UInt8>, _ take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void)
        throws
    {
        var end = line.count
        if end > 0 && line[end - 1] == 13 { end -= 1 }
        guard end > 0 else { return }
        try take(UnsafeBufferPointer(rebasing: line[0..<end]), number)
    }
}
