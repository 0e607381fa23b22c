import ChengyunCore
import Foundation

/// The demo city's video-AI channel: a camera looking along the street in four cells, online,
/// each with a detection waiting for review (snapshots drawn for the demo, 320×180 JPEGs in
/// `Resources/demo-snapshots`, the same files the tests send).
public struct DemoVideo: Sendable {
    let platform: Platform

    /// A shipped snapshot with the class it shows and where.
    public struct Snapshot: Sendable {
        public var classCode: String
        public var box: SnapshotBox
        public var jpeg: [UInt8]
    }

    public static func snapshots() throws -> [Snapshot] {
        try [
            ("illegal_parking", SnapshotBox(x: 0.46, y: 0.32, width: 0.33, height: 0.38)),
            ("bin_overflow", SnapshotBox(x: 0.12, y: 0.30, width: 0.33, height: 0.50)),
            ("street_vendor", SnapshotBox(x: 0.49, y: 0.32, width: 0.42, height: 0.38)),
            ("piled_materials", SnapshotBox(x: 0.18, y: 0.43, width: 0.64, height: 0.38)),
        ].map { code, box in
            Snapshot(
                classCode: code, box: box, jpeg: try ShippedFile.bytes(code, extension: "jpg", folder: "demo-snapshots")
            )
        }
    }

    func build(cells: [DemoCityPlan.CellPlan]) async throws {
        let shots = try Self.snapshots()
        for (index, (cell, shot)) in zip(cells, shots).enumerated() {
            let centre = cell.polygon.centroid
            let device = try await platform.devices.register(
                NewDevice(
                    code: "CAM-\(cell.code)", kindCode: "camera", name: "\(cell.name)视频监控",
                    lon: centre.lon, lat: centre.lat), by: .system)
            // The video platform reports each camera's health as a reading, as any device does.
            _ = try await platform.telemetry.ingest(
                [IncomingReading(line: 1, device: device.code, at: platform.now() - 60_000, values: [("online", 1)])],
                by: .system)
            _ = try await platform.video.setView(
                deviceId: device.id, CameraView(heading: Double(90 * index), angle: 60, range: 80), by: .system)
            _ = try await platform.video.ingest(
                NewDetection(
                    cameraCode: device.code, classCode: shot.classCode,
                    detectedAt: platform.now() - Int64(index + 1) * 600_000, confidence: 0.92 - Double(index) * 0.05,
                    box: shot.box, snapshot: Data(shot.jpeg).base64EncodedString()), by: .system)
        }
    }
}
