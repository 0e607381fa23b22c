import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The video tests' setting: a camera at the case fixture's point A, a district key that feeds
/// it, and the shipped JPEG snapshots by class.
struct VideoSetup {
    var fixture: CaseFixture
    var camera: Device
    var key: Principal
    var shots: [String: DemoVideo.Snapshot]
}

func videoSetUp(_ platform: Platform) async throws -> VideoSetup {
    let f = try await CaseFixture.make(platform)
    let camera = try await platform.devices.register(
        NewDevice(
            code: "CAM-1", kindCode: "camera", name: "东园路口摄像机", lon: CaseFixture.pointA.lon,
            lat: CaseFixture.pointA.lat), by: .system)
    let key = Principal(
        kind: .key, id: "key-district", name: "video platform", keyScopes: [.telemetryWrite],
        scope: AreaScope(areaId: f.district.id, path: f.district.path))
    let shots = Dictionary(uniqueKeysWithValues: try DemoVideo.snapshots().map { ($0.classCode, $0) })
    return VideoSetup(fixture: f, camera: camera, key: key, shots: shots)
}

func sighting(
    _ s: VideoSetup, _ classCode: String, confidence: Double = 0.85, at time: Int64, camera: String = "CAM-1",
    box: SnapshotBox? = nil, snapshot: [UInt8]? = nil
) -> NewDetection {
    let shot = s.shots[classCode] ?? s.shots["illegal_parking"]!
    return NewDetection(
        cameraCode: camera, classCode: classCode, detectedAt: time, confidence: confidence, box: box ?? shot.box,
        snapshot: Data(snapshot ?? shot.jpeg).base64EncodedString())
}

func withFields(_ input: NewDetection, _ fields: [String: String]) -> NewDetection {
    var input = input
    input.fields = fields
    return input
}
