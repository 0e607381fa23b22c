@testable import ChengyunServer
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Live streams are capped per principal: a held-open stream counts, a second one past the cap
/// is refused with 429, another account is not affected, and a closed stream gives its slot back.
@Suite struct StreamLimitTests {
    @Test func aPrincipalHoldsAtMostItsShareOfLiveStreams() async throws {
        let (platform, credentials) = try await DemoFixture.shared.platform(.sqlite)
        var web = WebSettings()
        web.streamsPerPrincipal = 1
        try await testApplication(platform, web: web).test(.live) { client in
            let port = try #require(client.port)
            let dispatcher = try await client.login("dispatcher", credentials.password(of: "dispatcher"))
            let held = try Self.openStream(port: port, token: dispatcher)
            defer { close(held) }
            let second = try await client.call(.get, "/api/v1/monitoring/stream?max=0", token: dispatcher)
            #expect(second.status == .tooManyRequests && second.problemCode == "too_many_streams")
            let leader = try await client.login("leader", credentials.password(of: "leader"))
            #expect(try await client.call(.get, "/api/v1/monitoring/stream?max=0", token: leader).status == .ok)
        }
    }

    @Test func slotsAreCountedAndGivenBack() {
        let slots = StreamSlots(limit: 2)
        #expect(slots.acquire("a") && slots.acquire("a") && !slots.acquire("a"))
        #expect(slots.acquire("b"))
        slots.release("a")
        #expect(slots.acquire("a") && !slots.acquire("a"))
        #expect(slots.total == 3)
    }

    /// A raw connection that asks for the stream and waits until the server says it is connected.
    static func openStream(port: Int, token: String) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw StreamFailed() }
        let request =
            "GET /api/v1/monitoring/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(": connected") {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { close(socket); throw StreamFailed() }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return socket
    }

    struct StreamFailed: Error {}
}
