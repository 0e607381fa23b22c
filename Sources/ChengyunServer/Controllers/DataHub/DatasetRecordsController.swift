import ChengyunCore
import ChengyunStore
import Foundation
import Hummingbird

/// Aggregation and the consumers' API: a dataset's cleaning pipeline, its loads (a file or a
/// system's records through the pipeline, streamed, with a quality report) and its records,
/// queried by field values, bounding box and time, as JSON pages or whole as NDJSON, CSV or
/// GeoJSON.
struct DatasetRecordsController {
    let platform: Platform
    /// Holds each push key to its loads a minute.
    let throttle: Throttle
    /// The most a load may send: a million rows of a wide table fit well within it.
    static let maxLoadBytes = 2 << 30
    static let reserved: Set<String> = ["bbox", "from", "to", "cursor", "limit", "format"]

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let code = DatasetsController.code
        routes.on(
            .get, "datasets/{code}/pipeline", DatasetsController.owners,
            RouteDoc(
                "A dataset's cleaning pipeline: column mapping and steps (its owner's and the centre's)", .datahub,
                parameters: [code], answers: [.problem(403, "not_dataset_owner")])
        ) { _, context, principal in
            JSONBody(
                try await platform.datasetLoads.pipeline(code: try context.parameters.require("code"), by: principal))
        }
        routes.on(
            .put, "datasets/{code}/pipeline", DatasetsController.owners,
            RouteDoc(
                "Set a dataset's cleaning pipeline (its owner): source columns mapped to fields, and steps run in order — trim, required, range, pattern, code_list, phone, date, gcj02_to_wgs84, exists (grid_cell or area), dedupe",
                .datahub, parameters: [code], body: .json(PipelineInput.self),
                answers: [.problem(403, "not_dataset_owner"), .problem(409, "dataset_withdrawn, no_key")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(PipelineInput.self, context: context)
            return JSONBody(
                try await platform.datasetLoads.setPipeline(
                    code: try context.parameters.require("code"), input, by: principal))
        }
        routes.on(
            .post, "datasets/{code}/loads", .any([DatasetsController.owners, .key(.dataPush)]),
            RouteDoc(
                "Load records (its owner): the body is the file — CSV with a header (text/csv), a JSON array (application/json), NDJSON (application/x-ndjson) or a GeoJSON FeatureCollection (application/geo+json), in UTF-8 or in the charset its Content-Type names (GBK, GB2312, GB18030, ISO-8859-1 or windows-1252; another is 415 unsupported_charset; bytes not in it stop the load, invalid_encoding with the line, and a JSON record that is not UTF-8 is refused on its own) — read as it arrives, cleaned by the pipeline, upserted by the record key as the dataset's next version in one transaction. Refused rows are listed with line and reason and the rest kept; a source that cannot be read changes nothing. dryRun=true reports and shows a sample, writing nothing. The system feeding the dataset pushes the same way with its push key (POST /datasets/{code}/push-keys), held to its loads a minute (429 rate_limited); to a push key every other dataset is not found.",
                .datahub,
                parameters: [
                    code, .query("format", .choice(LoadFormat.allCases.map(\.rawValue)), "instead of the content type"),
                    .query("dryRun", .boolean),
                ], body: .binary, status: 201, outcome: "The load and its quality report",
                answers: [
                    .ok(.json("DatasetLoad"), "A dry run's report and sample; nothing written", status: 200),
                    .problem(403, "not_dataset_owner"),
                    .problem(409, "dataset_withdrawn, no_key, field_type_changed, concurrent_update"),
                    .problem(413, "load_too_large: over 2 GB"),
                    .problem(429, "rate_limited: a push key's loads a minute"),
                ], alsoShared: [.unsupportedMediaType])
        ) { request, context, principal in
            if principal.kind == .key {
                let perMinute = principal.rateLimitPerMinute ?? DatasetLoadService.pushKeyDefaultPerMinute
                try await throttle.check([("push:\(principal.id)", perMinute)])
            }
            let (format, charset) = (try Self.format(request), try request.bodyCharset())
            let chunks = LoadBody(body: request.body, cap: Self.maxLoadBytes)
            let dryRun = try request.queryBool("dryRun") ?? false
            return JSONBody(
                try await platform.datasetLoads.load(
                    code: try context.parameters.require("code"), format: format, charset: charset,
                    source: principal.kind == .key ? .push : .upload,
                    dryRun: dryRun, chunks: chunks, by: principal),
                status: dryRun ? .ok : .created)
        }
        routes.on(
            .get, "datasets/{code}/loads", .allStaff,
            RouteDoc(
                "A dataset's loads, newest first, with their quality reports (refusals quote source values: the owner's and the centre's to read)",
                .datahub, parameters: [code])
        ) { _, context, principal in
            JSONBody(
                Listing(
                    items: try await platform.datasetRecords.loads(
                        code: try context.parameters.require("code"), by: principal)))
        }
        routes.on(
            .get, "datasets/{code}/records", .any([.allStaff, .key(.dataRead)]),
            RouteDoc(
                "A dataset's records: any field as a parameter filters by equality (?kind=bench), bbox=west,south,east,north on its position, from/to on its first datetime; format=json pages by record key (limit ≤ 1000, cursor), ndjson, csv and geojson stream every match. Unconditionally shared datasets are every member of staff's; others their owner's and the centre's, and a consumer's whose access application was approved (its department's staff, or its key: X-API-Key or Authorization), within the granted fields, rate and daily quota, each read logged.",
                .datahub,
                parameters: [
                    code, .query("bbox"), .query("from", .instant), .query("to", .instant), .cursor,
                    .query("limit", .integer(minimum: 1, maximum: 1000, default: 100)),
                    .query("format", .choice(["json", "ndjson", "csv", "geojson"], default: "json")),
                ], success: .ok(.json("DatasetRecordPage"), "A page of records (other formats: every match)"),
                answers: [
                    .problem(403, "not_shared_with_you"), .problem(409, "platform_dataset"),
                    .problem(429, "rate_limited, quota_exhausted: a grant's limits (see Retry-After)"),
                ])
        ) { request, context, principal in
            try await records(request, code: try context.parameters.require("code"), by: principal)
        }
        return routes
    }

    static func format(_ request: Request) throws -> LoadFormat {
        if let named = request.query("format") {
            guard let format = LoadFormat(rawValue: named) else {
                throw Problem.badRequest("invalid_parameter", "format is csv, json, ndjson or geojson.")
            }
            return format
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("text/csv") { return .csv }
        if type.hasPrefix("application/x-ndjson") || type.hasPrefix("application/jsonl") { return .ndjson }
        if type.hasPrefix("application/geo+json") { return .geojson }
        if type.hasPrefix("application/json") { return .json }
        throw Problem(
            status: .unsupportedMediaType, code: "unsupported_media_type",
            detail: "Send text/csv, application/json, application/x-ndjson or application/geo+json, or name the format."
        )
    }

    func records(_ request: Request, code: String, by principal: Principal?) async throws -> Response {
        var query = DatasetRecordService.Query(
            from: try request.queryInstant("from"), to: try request.queryInstant("to"),
            limit: try request.queryInt("limit") ?? 100)
        for (name, value) in request.uri.queryParameters where !Self.reserved.contains(String(name)) {
            query.equals[String(name)] = String(value)
        }
        if let box = request.query("bbox") {
            query.bbox = box.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan }
        }
        if let cursor = request.query("cursor") {
            guard let key = PageRequest.decodeCursor(cursor) else {
                throw Problem.badRequest("invalid_cursor", "The cursor is not one this API gave out.")
            }
            query.afterKey = key
        }
        let service = platform.datasetRecords
        switch request.query("format") ?? "json" {
        case "json":
            let page = try await service.page(code: code, query, by: principal)
            let records = page.records.map { RecordWriter.object(page.fields, $0) }.joined(separator: ",")
            let next = page.nextKey.map { RecordWriter.quoted(PageRequest.encodeCursor($0)) } ?? "null"
            let body = "{\"records\":[\(records)],\"nextCursor\":\(next)}"
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        case let format where ["ndjson", "csv", "geojson"].contains(format):
            let export = try await service.export(code: code, query, by: principal)
            let body = ResponseBody { writer in
                var first = true
                if format == "geojson" {
                    try await writer.write(ByteBuffer(string: "{\"type\":\"FeatureCollection\",\"features\":["))
                }
                try await export.forEach { fields, rows in
                    var text = ""
                    if format == "csv", first { text += CSV.byteOrderMark + CSV.line(fields.map(\.name)) }
                    for row in rows {
                        switch format {
                        case "csv": text += CSV.line(zip(fields, row).map { RecordWriter.cell($0, $1) })
                        case "geojson": text += (first ? "" : ",") + RecordWriter.feature(fields, row)
                        default: text += RecordWriter.object(fields, row) + "\n"
                        }
                        first = false
                    }
                    if format == "csv" { first = false }
                    try await writer.write(ByteBuffer(string: text))
                }
                if format == "geojson" { try await writer.write(ByteBuffer(string: "]}")) }
                try await writer.finish(nil)
            }
            let type =
                format == "csv"
                ? "text/csv; charset=utf-8" : format == "geojson" ? "application/geo+json" : "application/x-ndjson"
            return Response(status: .ok, headers: [.contentType: type], body: body)
        default:
            throw Problem.badRequest("invalid_parameter", "format is json, ndjson, csv or geojson.")
        }
    }
}

/// A load's body as it arrives, chunk by chunk — back-pressured, nothing buffered ahead — and
/// refused past the cap.
struct LoadBody: AsyncSequence {
    let body: RequestBody
    let cap: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let cap: Int
        var total = 0

        mutating func next() async throws -> [UInt8]? {
            guard let buffer = try await base.next() else { return nil }
            total += buffer.readableBytes
            guard total <= cap else {
                throw Problem(status: .contentTooLarge, code: "load_too_large", detail: "A load is at most 2 GB.")
            }
            return Array(buffer.readableBytesView)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: body.makeAsyncIterator(), cap: cap) }
}
