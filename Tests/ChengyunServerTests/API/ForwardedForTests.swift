import NIOCore
import Testing

@testable import ChengyunServer

/// Behind nginx every connection is the proxy's: `X-Forwarded-For` names the caller, but only
/// when the peer is a configured proxy, and only its rightmost untrusted entry.
@Suite struct ForwardedForTests {
    let proxy = try! SocketAddress(ipAddress: "10.0.0.5", port: 50_000)
    let stranger = try! SocketAddress(ipAddress: "203.0.113.9", port: 50_000)
    let forwarded = ForwardedFor(trusted: [AddressRange("10.0.0.0/24")!])

    @Test func theProxysHeaderNamesTheCaller() {
        #expect(forwarded.client(peer: proxy, header: "198.51.100.7") == "198.51.100.7")
        // What the client wrote itself stands left of what the proxy added: never believed.
        #expect(forwarded.client(peer: proxy, header: "1.2.3.4, 198.51.100.7") == "198.51.100.7")
        // A chain of trusted proxies is walked past.
        #expect(forwarded.client(peer: proxy, header: "198.51.100.7, 10.0.0.6") == "198.51.100.7")
    }

    @Test func anyoneElsesHeaderIsIgnored() {
        #expect(forwarded.client(peer: stranger, header: "198.51.100.7") == nil, "not from a proxy")
        #expect(ForwardedFor(trusted: []).client(peer: proxy, header: "198.51.100.7") == nil, "no proxies configured")
        #expect(forwarded.client(peer: proxy, header: nil) == nil)
        #expect(forwarded.client(peer: proxy, header: "not-an-address") == nil, "garbage is not a caller")
        #expect(forwarded.client(peer: proxy, header: "10.0.0.7") == nil, "only proxies in the header")
    }
}
