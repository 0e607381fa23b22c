import ChengyunCore

/// The demo city's sensing devices: a smart lamp pole in every grid cell, a smart manhole cover
/// (water supply, component 01-01) in every third, and an environment station in each street's
/// first cell — owned by the city's municipal and environment departments where the plan has them.
struct DemoDevices {
    let platform: Platform

    func build(cells: [DemoCityPlan.CellPlan], departments: [String: Department]) async throws {
        let municipal = departments["320500/municipal"]?.id
        let environment = departments["320500/environment"]?.id
        var streetsSeen = Set<String>()
        for (index, cell) in cells.enumerated() {
            let centre = cell.polygon.centroid
            let county = String(cell.code.prefix(6)), street = String(cell.code.prefix(9))
            var devices = [
                NewDevice(
                    code: "LP-\(cell.code)", kindCode: "lamp_pole", name: "\(cell.name)智慧灯杆",
                    lon: centre.lon, lat: centre.lat, departmentId: municipal)
            ]
            if index % 3 == 0 {
                let serial = String(index / 3 + 1).leftPadded(to: 6)
                devices.append(
                    NewDevice(
                        code: "MC-\(cell.code)", kindCode: "manhole_cover", name: "\(cell.name)供水井盖",
                        componentCode: county + "0101" + serial, lon: centre.lon, lat: centre.lat,
                        departmentId: municipal))
            }
            if streetsSeen.insert(street).inserted {
                devices.append(
                    NewDevice(
                        code: "ENV-\(street)", kindCode: "environment", name: "\(cell.name)环境监测站",
                        lon: centre.lon, lat: centre.lat, departmentId: environment))
            }
            for device in devices { _ = try await platform.devices.register(device, by: .system) }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
