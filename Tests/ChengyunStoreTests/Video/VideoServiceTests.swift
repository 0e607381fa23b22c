import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// The video-AI channel on both backends, with the shipped JPEG snapshots: sightings fold, a
/// reviewer's yes becomes an accepted case with the snapshot as evidence, a no counts toward the
/// class's precision, and scope holds for keys and reviewers alike.
@Suite struct VideoServiceTests {
    @Test(arguments: TestBackend.available) func sightingsFoldAndAnAcceptedDetectionBecomesACase(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let s = try await videoSetUp(platform)
            let now = platform.now()
            let events = try await platform.monitoring.events.subscribe(scopePath: s.fixture.district.path)
            let first = try await platform.video.ingest(sighting(s, "bin_overflow", at: now - 120_000), by: s.key)
            #expect(first.state == .pending && !first.folded && first.sightings == 1)
            // The review queues hear of it live.
            var heard = events.makeAsyncIterator()
            guard case .detection(let news) = await heard.next()?.event else {
                Issue.record("expected a detection event")
                return
            }
            #expect(news.id == first.id && news.state == .pending)
            // Seen again a minute later, the box a little moved: the same detection.
            var moved = s.shots["bin_overflow"]!.box
            moved.x += 0.02
            let again = try await platform.video.ingest(
                sighting(s, "bin_overflow", confidence: 0.9, at: now - 60_000, box: moved), by: s.key)
            #expect(again.id == first.id && again.folded && again.sightings == 2)
            // Another class on the same camera is another detection; below its threshold it is not reviewed.
            let vendor = try await platform.video.ingest(sighting(s, "street_vendor", at: now), by: s.key)
            #expect(vendor.id != first.id && vendor.state == .pending)
            let faint = try await platform.video.ingest(
                sighting(s, "piled_materials", confidence: 0.3, at: now - 30_000), by: s.key)
            #expect(faint.state == .suppressed)
            // Seen again, surer: now it is reviewed after all.
            let surer = try await platform.video.ingest(
                sighting(s, "piled_materials", confidence: 0.8, at: now), by: s.key)
            #expect(surer.id == faint.id && surer.state == .pending && surer.sightings == 2)

            let intake = s.fixture.staff(.intake, in: s.fixture.district)
            let queue = try await platform.video.detections(state: .pending, classCode: nil, limit: 50, by: intake)
            #expect(queue.map(\.id) == [first.id, faint.id, vendor.id])
            #expect(queue.first?.confidence == 0.9 && queue.first?.sightings == 2)

            // The snapshot is the JPEG that was sent.
            let (file, bytes) = try await platform.video.snapshot(id: first.id, by: intake)
            #expect(file.contentType == "image/jpeg" && Array(bytes) == s.shots["bin_overflow"]!.jpeg)

            let accepted = try await platform.video.accept(
                id: first.id, DetectionAcceptInput(note: "垃圾桶旁堆满"), by: intake)
            #expect(accepted.state == .accepted && accepted.reviewedBy == intake.id)
            let caseId = try #require(accepted.caseId)
            let detail = try await platform.cases.detail(id: caseId, by: .system)
            #expect(detail.case.matterCode == "E0102" && detail.case.source == .machine)
            #expect(detail.case.customFields["bins_overflowing"] == "1")
            #expect(detail.case.state != .reported, "the review was the acceptance")
            #expect(detail.case.description.contains("垃圾箱满溢") && detail.case.description.contains("垃圾桶旁堆满"))
            let evidence = try await platform.files.read(
                caseId: caseId, attachmentId: accepted.snapshotId, by: .system)
            #expect(Array(evidence.1) == s.shots["bin_overflow"]!.jpeg)
            // Reviewed once only.
            await #expect(throws: DomainError.self) {
                _ = try await platform.video.accept(id: first.id, DetectionAcceptInput(), by: intake)
            }
            // A repeat of the accepted thing folds into it: not a second case, not back in review.
            let later = try await platform.video.ingest(sighting(s, "bin_overflow", at: now), by: s.key)
            #expect(later.id == first.id && later.state == .accepted)
        }
    }

    @Test(arguments: TestBackend.available) func discardsCountTowardPrecisionAndThresholdsAreAdministrators(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let s = try await videoSetUp(platform)
            let intake = s.fixture.staff(.intake, in: s.fixture.district)
            let now = platform.now()
            // Three vendor sightings in different parts of the picture: three detections.
            var ids: [String] = []
            for (index, x) in [0.0, 0.35, 0.7].enumerated() {
                let receipt = try await platform.video.ingest(
                    sighting(
                        s, "street_vendor", confidence: 0.7 + Double(index) * 0.1, at: now - Int64(index) * 1000,
                        box: SnapshotBox(x: x, y: 0.1, width: 0.25, height: 0.3)), by: s.key)
                ids.append(receipt.id)
            }
            #expect(Set(ids).count == 3)
            _ = try await platform.video.discard(
                id: ids[0], DetectionDiscardInput(reason: .falseDetection, note: "是路人"), by: intake)
            _ = try await platform.video.discard(id: ids[1], DetectionDiscardInput(reason: .duplicate), by: intake)
            _ = try await platform.video.accept(id: ids[2], DetectionAcceptInput(), by: intake)
            await #expect(throws: DomainError.self) {
                _ = try await platform.video.discard(id: ids[2], DetectionDiscardInput(reason: .other), by: intake)
            }
            let status = try await platform.video.classStatus(by: intake)
            #expect(status.count == 12)
            let vendor = try #require(status.first { $0.videoClass.code == "street_vendor" })
            #expect(vendor.review.accepted == 1 && vendor.review.discarded == 2 && vendor.review.pending == 0)
            // Right: the accepted one and the duplicate; wrong: the passer-by.
            #expect(abs((vendor.review.precision ?? 0) - 2.0 / 3.0) < 1e-9)
            #expect(vendor.videoClass.matterCode == "E0501")

            // Raised to 0.8, a 0.75 sighting is recorded but not reviewed.
            let admin = Principal.system
            let raised = try await platform.video.setThreshold(
                classCode: "illegal_parking", VideoThresholdInput(threshold: 0.8), by: admin)
            #expect(raised.threshold == 0.8)
            let parked = try await platform.video.ingest(
                sighting(s, "illegal_parking", confidence: 0.75, at: now), by: s.key)
            #expect(parked.state == .suppressed)
            let parking = try #require(
                try await platform.video.classStatus(by: intake).first { $0.videoClass.code == "illegal_parking" })
            #expect(parking.videoClass.threshold == 0.8 && parking.defaultThreshold == 0.7)
            #expect(parking.review.suppressed == 1)
            await #expect(throws: DomainError.self) {
                _ = try await platform.video.setThreshold(
                    classCode: "illegal_parking", VideoThresholdInput(threshold: 1.5), by: admin)
            }
        }
    }

    @Test(arguments: TestBackend.available) func keysAndReviewersStayInTheirScope(backend: TestBackend) async throws {
        try await withPlatform(backend) { platform in
            let s = try await videoSetUp(platform)
            let now = platform.now()
            // A key of the other street cannot feed this street's camera: the same answer as no camera.
            let otherKey = Principal(
                kind: .key, id: "key-canglang", name: "沧浪 video", keyScopes: [.telemetryWrite],
                scope: AreaScope(areaId: s.fixture.streetB.id, path: s.fixture.streetB.path))
            for (principal, camera) in [(otherKey, "CAM-1"), (s.key, "CAM-NONE")] {
                do {
                    _ = try await platform.video.ingest(
                        sighting(s, "illegal_parking", at: now, camera: camera), by: principal)
                    Issue.record("a detection was taken for a camera the key may not feed")
                } catch let error as DomainError {
                    #expect(error.issues.map(\.code) == ["unknown_camera"])
                }
            }
            // A key bound to a device feeds its own devices only, not the area's unbound cameras.
            let issued = try await platform.people.createAPIKey(
                NewAPIKey(name: "lamp gateway", scopes: [.telemetryWrite], areaId: s.fixture.district.id), by: .system)
            _ = try await platform.devices.register(
                NewDevice(
                    code: "LP-BOUND", kindCode: "lamp_pole", name: "灯杆", lon: CaseFixture.pointA.lon,
                    lat: CaseFixture.pointA.lat, apiKeyId: issued.key.id), by: .system)
            do {
                _ = try await platform.video.ingest(sighting(s, "illegal_parking", at: now), by: .key(issued.key))
                Issue.record("a bound key fed an unbound camera")
            } catch let error as DomainError {
                #expect(error.issues.map(\.code) == ["unknown_camera"])
            }
            // Not a picture, a bad box, an unknown class, a time long past, a field the matter lacks: each said.
            let script = Array("<script>alert(1)</script>".utf8)
            let bad = [
                (sighting(s, "illegal_parking", at: now, snapshot: script), "unsupported_type"),
                (
                    sighting(s, "illegal_parking", at: now, box: SnapshotBox(x: 0.9, y: 0, width: 0.5, height: 0.1)),
                    "invalid_box"
                ),
                (sighting(s, "jaywalking", at: now), "unknown_class"),
                (sighting(s, "illegal_parking", at: now - 8 * 86_400_000), "invalid_time"),
                (withFields(sighting(s, "bicycle_parking", at: now), ["plate_number": "苏E1"]), "unknown_field"),
            ]
            for (input, code) in bad {
                do {
                    _ = try await platform.video.ingest(input, by: s.key)
                    Issue.record("\(code) was taken")
                } catch let error as DomainError {
                    #expect(error.issues.map(\.code).contains(ErrorCode(rawValue: code)), "\(error.issues)")
                }
            }
            let receipt = try await platform.video.ingest(sighting(s, "illegal_parking", at: now), by: s.key)
            // The other street's intake operator neither sees nor reviews it.
            let otherIntake = s.fixture.staff(.intake, in: s.fixture.streetB)
            #expect(
                try await platform.video.detections(state: .pending, classCode: nil, limit: 50, by: otherIntake).isEmpty
            )
            await #expect(throws: DomainError.self) {
                _ = try await platform.video.snapshot(id: receipt.id, by: otherIntake)
            }
            await #expect(throws: DomainError.self) {
                _ = try await platform.video.accept(id: receipt.id, DetectionAcceptInput(), by: otherIntake)
            }
            // A camera bound to a key takes that key's detections only.
            let views = try await platform.video.setView(
                deviceId: s.camera.id, CameraView(heading: 270, angle: 60, range: 80), by: .system)
            #expect(views.view?.heading == 270)
            #expect(try await platform.video.cameras(by: otherIntake).isEmpty)
            #expect(try await platform.video.cameras(by: s.fixture.staff(.intake)).map(\.view) == [views.view])
        }
    }
}
