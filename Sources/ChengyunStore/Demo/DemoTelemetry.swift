import ChengyunCore
import Foundation

/// The demo city's last 24 hours of readings, hour by hour, sent by the demo gateway key through
/// the ingest path, so the default rules leave alarms where the data says: one street's air
/// turns bad in the last three hours, one lamp pole is on with no power (a failed lamp), one
/// manhole cover is opened (its rule opens a case of 上水井盖 through the machine channel), one
/// cover's battery runs low, and one lamp pole stops reporting four hours ago (offline).
struct DemoTelemetry {
    let platform: Platform

    func build(now: Int64, gateway: Principal) async throws {
        let opened = try await platform.alarmRules.rule(id: "manhole_cover.opened")
        _ = try await platform.alarmRules.update(
            id: opened.id,
            AlarmRuleInput(
                name: opened.name, kindCode: opened.kindCode,
                condition: opened.condition, matterCode: "C0101",
                caseFields: ["cover_state": "displaced"]),
            by: .system)
        let devices = try await PageRequest.all {
            try await platform.devices.list(kindCode: nil, state: nil, page: $0, by: .system)
        }
        .sorted { $0.code < $1.code }
        let hour: Int64 = 3_600_000
        let lastHour = now / hour * hour
        let environment = devices.filter { $0.kindCode == "environment" }
        let lamps = devices.filter { $0.kindCode == "lamp_pole" }
        let covers = devices.filter { $0.kindCode == "manhole_cover" }
        let (smoggy, failedLamp, silentLamp) = (
            environment.first?.code, lamps.dropFirst(7).first?.code, lamps.dropFirst(20).first?.code
        )
        let (openedCover, weakCover) = (covers.dropFirst(3).first?.code, covers.dropFirst(11).first?.code)
        for step in (0..<24).reversed() {
            let at = lastHour - Int64(step) * hour
            let localHour = Int(((at / hour) + 8) % 24)
            let night = localHour >= 18 || localHour < 6
            var batch: [IncomingReading] = []
            for (index, device) in environment.enumerated() {
                let base = 30 + 20 * sin(Double(localHour + index) / 24 * 2 * .pi)
                let pm25 = device.code == smoggy && step < 3 ? 158 + Double(step) : (base + Double(index % 5)).rounded()
                batch.append(
                    IncomingReading(
                        line: batch.count + 1, device: device.code, at: at,
                        values: [("pm25", pm25), ("pm10", (pm25 * 1.6).rounded()), ("noise", 52 + Double(index % 7))]))
            }
            for device in lamps where !(device.code == silentLamp && step < 4) {
                let failed = device.code == failedLamp && step < 2
                batch.append(
                    IncomingReading(
                        line: batch.count + 1, device: device.code, at: at,
                        values: [("lamp_on", night || failed ? 1 : 0), ("power", night && !failed ? 118 : 0)]))
            }
            for (index, device) in covers.enumerated() {
                let open: Double = device.code == openedCover && step == 0 ? 1 : 0
                let battery = device.code == weakCover ? 15.0 : 80 - Double(index % 20)
                batch.append(
                    IncomingReading(
                        line: batch.count + 1, device: device.code, at: at,
                        values: [("open", open), ("tilt", open == 1 ? 35 : 1), ("battery", battery)]))
            }
            _ = try await platform.telemetry.ingest(batch, by: gateway)
        }
        try await platform.telemetry.checkSilence(now: now)
    }
}
