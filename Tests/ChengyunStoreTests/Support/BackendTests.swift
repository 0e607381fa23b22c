import ChengyunTestSupport
import Foundation
import Testing

@Suite struct BackendTests {
    /// Under CI the PostgreSQL backend is required: a missing one is a failure, not a skip.
    @Test func postgresIsConfiguredUnderCI() {
        print("storage backends under test: \(TestBackend.available.map(\.rawValue).joined(separator: ", "))")
        if TestBackend.isCI {
            #expect(TestBackend.postgresURL != nil, "CI=true but CHENGYUN_TEST_POSTGRES_URL is not set")
        }
    }

    /// Under CI the outbound-address tests' metadata name is required too (their only skip).
    @Test func theMetadataNameIsConfiguredUnderCI() {
        if TestBackend.isCI {
            #expect(TestBackend.metadataName != nil, "CI=true but CHENGYUN_TEST_METADATA_NAME is not set")
        }
    }

    @Test(arguments: TestBackend.available) func eachBackendOpensAndAnswers(backend: TestBackend) async throws {
        try await withPlatform(backend, migrate: false) { platform in
            let one = try await platform.pool.read {
                try await $0.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
            }
            #expect(one == 1)
            #expect(platform.pool.backend.rawValue == backend.rawValue)
        }
    }
}
