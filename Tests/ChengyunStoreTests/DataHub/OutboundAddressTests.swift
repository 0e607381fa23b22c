import ChengyunCore
import ChengyunTestSupport
import Foundation
import Testing

@testable import ChengyunStore

/// Hosts looked up before the platform calls out: a name is admitted by what the system's resolver
/// says it stands for, a literal by itself. `CHENGYUN_TEST_METADATA_NAME` names a host the machine
/// resolves to 169.254.169.254 (`.ci/run` writes one into /etc/hosts and always sets it).
@Suite struct OutboundAddressTests {
    @Test func aNameIsAdmittedByTheAddressesItStandsFor() async throws {
        #expect(OutboundAddress.lookUp("localhost").contains { $0 == "127.0.0.1" || $0 == "::1" })
        #expect(await OutboundAddress.admits(try #require(URL(string: "http://localhost:9/hook"))))
        #expect(await OutboundAddress.admits(try #require(URL(string: "http://10.1.2.3/hook"))))
        #expect(!(await OutboundAddress.admits(try #require(URL(string: "http://169.254.169.254/latest/")))))
        #expect(!(await OutboundAddress.admits(try #require(URL(string: "http://[::ffff:a9fe:a9fe]/")))))
    }

    @Test func aNameForTheMetadataAddressIsRefused() async throws {
        // Unset outside CI only (`BackendTests` fails CI without it).
        guard let name = TestBackend.metadataName else { return }
        #expect(OutboundAddress.lookUp(name).contains("169.254.169.254"), "the machine resolves \(name)")
        #expect(!(await OutboundAddress.admits(try #require(URL(string: "http://\(name)/latest/meta-data/")))))
        // Asked again, in another spelling: the same answer.
        #expect(!(await OutboundAddress.admits(try #require(URL(string: "https://\(name.uppercased()):8443/")))))
    }

    @Test func aRegistrationWaitsForALookNoLongerThanItsDeadline() async throws {
        // A look that cannot answer until the test lets it: the answer given meanwhile is the deadline's.
        let (gate, open) = AsyncStream<Void>.makeStream()
        let slow = Task { () -> Bool? in
            for await _ in gate {}
            return true
        }
        #expect(await OutboundAddress.answer(of: slow, within: .milliseconds(50)) == nil, "let through, not known")
        open.finish()
        #expect(await slow.value == true, "the look itself went on")
        let quick = Task { () -> Bool? in true }
        #expect(await OutboundAddress.answer(of: quick, within: .seconds(30)) == true)
    }

    @Test func registrationLooksUnderWayAreBounded() {
        let calls = (0..<40).map { "host-\($0).example" }
        let registrations = (0..<OutboundAddress.registrationLooksAtMost).map { "registration slow-\($0).example" }
        #expect(OutboundAddress.mayStartRegistrationLook(besides: calls), "the calls' looks are not counted")
        #expect(OutboundAddress.mayStartRegistrationLook(besides: calls + registrations.dropLast()))
        #expect(!OutboundAddress.mayStartRegistrationLook(besides: calls + registrations), "full: let through unlooked")
    }
}
