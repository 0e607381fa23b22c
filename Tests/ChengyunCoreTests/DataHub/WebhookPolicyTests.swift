import ChengyunCore
import Testing

/// Webhook delivery by hand: the waits double from a second to at most five minutes, the
/// twentieth failure is the last, 2xx delivers, and the signature is the HMAC a receiver
/// recomputes (the expected value computed with Python's hmac module).
@Suite struct WebhookPolicyTests {
    @Test func waitsDoubleToFiveMinutes() {
        #expect(
            (1...10).map(WebhookPolicy.delay(afterAttempt:)) == [
                1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000,
            ])
        #expect(WebhookPolicy.delay(afterAttempt: 0) == 0 && WebhookPolicy.delay(afterAttempt: 64) == 300_000)
        // About an hour of trying in all.
        let total = (1..<WebhookPolicy.maxAttempts).map(WebhookPolicy.delay(afterAttempt:)).reduce(0, +)
        #expect(total == 511_000 + 10 * 300_000)
    }

    @Test func anAnswerDecidesTheState() {
        #expect(WebhookPolicy.after(status: 204, attempts: 1, at: 50) == (.delivered, 50))
        #expect(WebhookPolicy.after(status: 500, attempts: 3, at: 50) == (.pending, 4_050))
        #expect(WebhookPolicy.after(status: nil, attempts: 1, at: 50) == (.pending, 1_050))
        #expect(WebhookPolicy.after(status: 302, attempts: 19, at: 50) == (.pending, 300_050))
        #expect(WebhookPolicy.after(status: 410, attempts: 20, at: 50) == (.dead, 50))
    }

    @Test func theSignatureIsTheHMACOfTimeAndBody() {
        #expect(
            WebhookPolicy.signature(secret: "whsec_test", timestamp: 1_796_486_370_000, body: #"{"topic":"dataset"}"#)
                == "t=1796486370000,v1=7cf7a7dd0eeb1fc3e1e9d35743530e29437194c4a51fd71e448627a9b1837fe7")
    }

    @Test func webhooksGoToWebURLs() {
        #expect(WebhookPolicy.isAcceptable(url: "https://hooks.example.cn/chengyun?x=1"))
        #expect(WebhookPolicy.isAcceptable(url: "http://127.0.0.1:8080/hook"))
        #expect(
            WebhookPolicy.isAcceptable(url: "http://10.1.2.3/hook")
                && WebhookPolicy.isAcceptable(url: "http://[2001:db8::1]/"))
        for url in [
            "ftp://x/y", "/relative", "https://", "javascript:alert(1)", "http://" + String(repeating: "a", count: 500),
            "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:8080/", "http://[::]/", "http://[fe80::1]/",
            "http://[::ffff:169.254.169.254]/", "http://2852039166/", "http://0251.254.169.254/",
            "http://169.254.43518/", "http://0/", "http://[::ffff:a9fe:a9fe]/", "http://[0::]/", "http://[fe90::1]/",
        ] {
            #expect(!WebhookPolicy.isAcceptable(url: url), "\(url.prefix(30))")
        }
    }

    @Test func anAddressWrittenOutIsNotLookedUp() {
        for host in ["127.0.0.1", "2852039166", "0251.254.169.254", "0x7f.1", "[::1]", "::ffff:a9fe:a9fe", "0"] {
            #expect(OutboundHost.isLiteral(host), "\(host)")
        }
        for host in ["localhost", "metadata.google.internal", "hooks.example.cn", "169.254.169.254.nip.io"] {
            #expect(!OutboundHost.isLiteral(host), "\(host)")
        }
    }
}
