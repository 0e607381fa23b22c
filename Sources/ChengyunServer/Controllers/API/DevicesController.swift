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
        routes.on(.post, "device-kinds", .admin) { request, context, principal in
            let kind = try await request.decodeStrict(DeviceKind.self, context: context)
            return JSONBody(try await platform.devices.addKind(kind, by: principal), status: .created)
        }
        routes.on(.get, "devices", .allStaff) { request, _, principal in
            JSONBody(try await platform.devices.list(kindCode: request.query("kind"), state: try request.queryEnum("state", DeviceState.self),
                                                     page: try request.pageRequest(), by: principal))
        }
        routes.on(.get, "devices/{id}", .allStaff) { _, context, principal in
            JSONBody(try await platform.devices.device(id: try context.id(), by: principal))
        }
        routes.on(.post, "devices", .admin) { request, context, principal in
            let input = try await request.decodeStrict(NewDevice.self, context: context)
            return JSONBody(try await platform.devices.register(input, by: principal), status: .created)
        }
        routes.on(.post, "devices/import", .admin) { request, _, principal in
            var request = request
            return JSONBody(try await platform.devices.importCSV(try await request.csvText(), by: principal))
        }
        return routes
    }
}

struct DeviceKindList: Encodable {
    var items: [DeviceKind]
}
