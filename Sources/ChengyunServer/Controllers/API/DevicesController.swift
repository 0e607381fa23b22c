import ChengyunCore
import ChengyunStore
import Hummingbird

/// Device kinds and the device registry (运行监测).
struct DevicesController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "device-kinds", .allStaff,
            RouteDoc(
                "Device kinds: the built-in ones (every kind in docs/domain.md §7) and those administrators added, with their metrics and units",
                .monitoring)
        ) { _, _, _ in
            JSONBody(DeviceKindList(items: try await platform.devices.kinds()))
        }
        routes.on(
            .post, "device-kinds", .platformAdmin,
            RouteDoc(
                "Add a device kind", .monitoring, body: .json(DeviceKind.self), status: 201,
                answers: [
                    .problem(
                        403,
                        "Role not allowed; cross_site_request (cookie-borne write from another site); platform_admin_required (an administrator below the whole platform)"
                    ), .problem(409, "duplicate_code"),
                ])
        ) { request, context, principal in
            let kind = try await request.decodeStrict(DeviceKind.self, context: context)
            return JSONBody(try await platform.devices.addKind(kind, by: principal), status: .created)
        }
        routes.on(
            .get, "devices", .allStaff,
            RouteDoc(
                "Devices in the caller's area scope", .monitoring,
                parameters: [
                    .query("kind", .string, "a device kind code"), .query("state", .named(DeviceState.self)), .cursor,
                    .limit,
                ])
        ) { request, _, principal in
            JSONBody(
                try await platform.devices.list(
                    kindCode: request.query("kind"), state: try request.queryEnum("state", DeviceState.self),
                    page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "devices/{id}", .allStaff,
            RouteDoc("Read a device", .monitoring, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.devices.device(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "devices", .admin,
            RouteDoc(
                "Register a device; its grid cell and area come from its position", .monitoring,
                body: .json(NewDevice.self), status: 201, answers: [.problem(409, "duplicate_code")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewDevice.self, context: context)
            return JSONBody(try await platform.devices.register(input, by: principal), status: .created)
        }
        routes.on(
            .get, "devices/{id}/latest", .allStaff,
            RouteDoc(
                "The latest value of each metric the device reports", .monitoring,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(LatestList(items: try await platform.devices.latest(id: try context.id(), by: principal)))
        }
        routes.on(
            .get, "devices/{id}/series", .allStaff,
            RouteDoc(
                "A metric over a time range, downsampled: min, max, avg, last and count per bucket (raw readings while kept, hourly rollups before)",
                .monitoring,
                parameters: [
                    .query("metric", required: true),
                    .query("from", .instant, "epoch ms or ISO 8601; default to − 24 h"),
                    .query("to", .instant, "default now"),
                    .query(
                        "bucket", .integer(minimum: 1, default: 3600), "bucket length in seconds, counted from `from`"),
                ])
        ) { request, context, principal in
            guard let metric = request.query("metric") else {
                throw Problem.badRequest(
                    "missing_parameter", "metric is required.",
                    errors: [FieldIssue(field: "metric", code: "missing_field", message: "Name the metric.")])
            }
            let to = try request.queryInstant("to") ?? platform.now()
            let from = try request.queryInstant("from") ?? to - 86_400_000
            return JSONBody(
                try await platform.devices.series(
                    id: try context.id(), metric: metric, from: from, to: to,
                    bucketSeconds: try request.queryInt("bucket") ?? 3600, by: principal))
        }
        routes.on(
            .post, "devices/{id}/disarm", AlarmsController.handlers,
            RouteDoc(
                "Disarm a device for maintenance (解防): until the window ends its alarms are recorded as suppressed",
                .monitoring, body: .json(DisarmInput.self))
        ) { request, context, principal in
            let input = try await request.decodeStrict(DisarmInput.self, context: context)
            return JSONBody(try await platform.devices.disarm(id: try context.id(), input, by: principal))
        }
        routes.on(
            .post, "devices/{id}/rearm", AlarmsController.handlers,
            RouteDoc(
                "End a device's maintenance window", .monitoring,
                answers: [.problem(409, "Not allowed in the alarm's or device's state")],
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.devices.rearm(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "devices/import", .admin,
            RouteDoc(
                "Register devices from CSV (header: code, kind, name, lon, lat; optional component_code, department = a department code). Good lines are registered; each bad line is listed with its reasons. The file is UTF-8, or in the charset its Content-Type names (text/csv; charset=GBK: GBK, GB2312, GB18030, windows-1252).",
                .monitoring, body: .csv, outcome: "Per-line results",
                answers: [
                    .problem(400, "Not in its charset (invalid_encoding)"),
                    .problem(415, "Not text/csv, or a charset not read (unsupported_charset)"),
                    .problem(422, "No header or missing columns"),
                ])
        ) { request, _, principal in
            var request = request
            return JSONBody(try await platform.devices.importCSV(try await request.csvText(), by: principal))
        }
        return routes
    }
}

struct LatestList: Encodable {
    var items: [LatestValue]
}

struct DeviceKindList: Encodable {
    var items: [DeviceKind]
}
