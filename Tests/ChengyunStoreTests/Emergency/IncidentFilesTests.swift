import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Testing

/// Photos on an incident over a real store: a crew's photo goes with its task report and is read
/// back by those who may see the incident; nobody links another person's upload; a file on an
/// incident is kept when unlinked uploads are swept.
@Suite struct IncidentFilesTests {
    @Test(arguments: TestBackend.available) func aCrewsPhotoGoesWithItsTaskReport(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withPlatform(backend, clock: clock) { platform in
            let w = try await IncidentWorld.make(platform)
            let service = platform.incidents
            _ = try await platform.plans.importPlan(w.plan, by: w.f.staff(.admin))
            let commander = w.f.staff(.supervisor, in: w.f.district)
            let fireCrew = w.f.staff(.handler, in: w.f.district, department: w.fire)
            let incident = try await service.open(
                NewIncident(
                    title: "人民路燃气泄漏", incidentType: "gas_leak", lon: 120.6005, lat: 31.3004, facts: ["evacuated": 12]),
                by: commander)
            let cordon = try await service.activate(
                PlanActivationInput(plan: "gas-leak", level: .iii), on: incident.id, by: commander
            ).tasks[0]
            let photo = try await platform.files.save(
                AttachmentOwnershipTests.jpeg(0x51), declaredType: "image/jpeg", name: "cordon.jpg", by: fireCrew)
            let commandersPhoto = try await platform.files.save(
                AttachmentOwnershipTests.jpeg(0x52), declaredType: "image/jpeg", name: "scene.jpg", by: commander)

            await expectIssues(["attachments[0]"]) {
                try await service.report(
                    IncidentTaskEventInput(event: .accept, attachments: [commandersPhoto.id]), task: cordon.id,
                    on: incident.id, by: fireCrew)
            }
            _ = try await service.report(
                IncidentTaskEventInput(event: .accept, attachments: [photo.id]), task: cordon.id, on: incident.id,
                by: fireCrew)
            _ = try await service.record(
                IncidentLogInput(kind: .situation, text: "警戒已设置", attachments: [commandersPhoto.id]), on: incident.id,
                by: commander)
            let board = try await service.board(incident.id, by: commander)
            let taskLine = try #require(board.log.first { $0.kind == .task })
            let situation = try #require(board.log.first { $0.kind == .situation })
            #expect(
                board.attachments.map(\.attachmentId) == [photo.id, commandersPhoto.id]
                    && board.attachments.map(\.logSeq) == [taskLine.seq, situation.seq])
            #expect(
                board.attachments.first?.name == "cordon.jpg" && board.attachments.first?.contentType == "image/jpeg")

            let (file, bytes) = try await platform.files.read(
                incidentId: incident.number, attachmentId: photo.id, by: commander)
            #expect(file.id == photo.id && [UInt8](bytes) == AttachmentOwnershipTests.jpeg(0x51))
            await expectRefusal("out_of_scope", "another street's commander") {
                try await platform.files.read(
                    incidentId: incident.id, attachmentId: photo.id, by: w.f.staff(.supervisor, in: w.f.streetB))
            }
            await expectRefusal("not_found", "a file that is not this incident's") {
                try await platform.files.read(incidentId: incident.id, attachmentId: "nope", by: commander)
            }

            clock.advance(minutes: 24 * 60 + 1)
            #expect(try await platform.files.removeUnlinked() == 0, "files on an incident are kept")
        }
    }
}
