import ChengyunCore
import ChengyunStore
import Hummingbird

/// Device kinds and the device registry (运行监测).
struct DevicesController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.get, "device-kinds", .allStaff) { _, _, _ in
            JSONBody(DeviceKindList(items: try await platform.devices.kinds()))
        }
        routes.on(.post, "device-kinds", .platformAdmin) { request, context, principal in
            let kind = try await request.decodeStrict(DeviceKind.self, context: context)
            return JSONBody(try await platform.devices.addKind(kind, by: principal), status: .created)
        }
        routes.on(.get, "devices", .allStaff) { request, _, principal in
            JSONBody(
                try await platform.devices.list(
                    kindCode: request.query("kind"), state: try request.queryEnum("state", DeviceState.self),
                    page: try request.pageRequest(), by: principal))
        }
        routes.on(.get, "devices/{id}", .allStaff) { _, context, principal in
            JSONBody(try await platform.devices.device(id: try context.id(), by: principal))
        }
        routes.on(.post, "devices", .admin) { request, context, principal in
            let input = try await request.decodeStrict(NewDevice.self, context: context)
            return JSONBody(try await platform.devices.register(input, by: principal), status: .created)
        }
        routes.on(.get, "devices/{id}/latest", .allStaff) { _, context, principal in
            JSONBody(LatestList(items: try await platform.devices.latest(id: try context.id(), by: principal)))
        }
        routes.on(.get, "devices/{id}/series", .allStaff) { request, context, principal in
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
        routes.on(.post, "devices/{id}/disarm", AlarmsController.handlers) { request, context, principal in
            let input = try await request.decodeStrict(DisarmInput.self, context: context)
            return JSONBody(try await platform.devices.disarm(id: try context.id(), input, by: principal))
        }
        routes.on(.post, "devices/{id}/rearm", AlarmsController.handlers) { _, context, principal in
            JSONBody(try await platform.devices.rearm(id: try context.id(), by: principal))
        }
        routes.on(.post, "devices/import", .admin) { request, _, principal in
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
