import ChengyunCore
import Testing

@Suite struct Open311FormatTests {
    @Test func oneDocumentTwoFormats() {
        let document = Open311Document.list(
            element: "request",
            [
                .object([
                    ("service_request_id", .text("E0102-1")), ("description", .text("a \"b\" <c> & d'\n\u{1}中文")),
                    ("lat", .number(31.3004)), ("count", .number(3)), ("open", .bool(true)), ("media_url", .null),
                ])
            ])
        #expect(
            document.json
                == #"[{"service_request_id":"E0102-1","description":"a \"b\" <c> & d'\n\u0001中文","lat":31.3004,"count":3,"open":true,"media_url":null}]"#
        )
        #expect(
            document.xml(root: "service_requests")
                == #"<?xml version="1.0" encoding="utf-8"?><service_requests><request>"#
                + "<service_request_id>E0102-1</service_request_id><description>a &quot;b&quot; &lt;c&gt; &amp; d&apos;\n中文</description>"
                + "<lat>31.3004</lat><count>3</count><open>true</open><media_url/></request></service_requests>")
    }

    @Test func errorsCarryTheStatusAndTheStableCode() {
        let errors = Open311Error.documents([Open311Error(400, "service_code_missing", "service_code is required.")])
        #expect(errors.json == #"[{"code":400,"description":"service_code_missing: service_code is required."}]"#)
        #expect(
            errors.xml(root: "errors").hasSuffix(
                "<errors><error><code>400</code><description>service_code_missing: service_code is required.</description></error></errors>"
            ))
    }

    @Test func formsDecodeAsBrowsersEncodeThem() throws {
        let pairs = try #require(
            URLForm.parse(
                "api_key=k&description=%E5%9E%83%E5%9C%BE+%26+more&attribute%5Bkind%5D%5B%5D=a&attribute[kind][]=b&empty="
            ))
        #expect(pairs.map(\.name) == ["api_key", "description", "attribute[kind][]", "attribute[kind][]", "empty"])
        #expect(pairs[1].value == "垃圾 & more" && pairs[4].value == "")
        #expect(URLForm.parse("bad=%E5%9E") == nil, "not UTF-8")
        let form = try Open311Submission.parse(pairs + [("service_code", "E0102"), ("lat", "31.3"), ("long", "120.6")])
        #expect(form.attributes == ["kind": ["a", "b"]] && form.description == "垃圾 & more" && form.lat == 31.3)
    }

    @Test func submissionsListEveryProblem() {
        #expect(
            throws: Open311Errors([
                Open311Error(400, "service_code_missing", "service_code is required."),
                Open311Error(400, "invalid_long", "long is a number from -180 to 180."),
                Open311Error(400, "invalid_email", "email is not an e-mail address."),
            ])
        ) { try Open311Submission.parse([("lat", "31"), ("long", "200"), ("email", "x")]) }
        #expect(
            throws: Open311Errors(
                Open311Error(400, "location_missing", "Send lat and long, address_string or address_id."))
        ) {
            try Open311Submission.parse([("service_code", "E0102"), ("lat", ""), ("long", "")])
        }
        #expect(
            (try? Open311Submission.parse([("service_code", "E0102"), ("address_string", "平江路")]))?.addressString
                == "平江路")
    }

    @Test func listQueriesFollowTheSpec() throws {
        let now: Int64 = 1_780_000_000_000, day: Int64 = 86_400_000
        #expect(try Open311Query.parse([:], now: now) == Open311Query(from: now - 90 * day, to: now + 1))
        #expect(
            try Open311Query.parse(
                ["status": "open", "service_code": "E0102, C0101", "jurisdiction_id": "x"], now: now)
                == Open311Query(serviceCodes: ["E0102", "C0101"], from: now - 90 * day, to: now + 1, open: true))
        #expect(try Open311Query.parse(["status": "open,closed"], now: now).open == nil)
        // 2026-01-01T00:00:00+08:00 is 2025-12-31T16:00:00Z.
        let start = try Open311Query.parse(["start_date": "2026-01-01T00:00:00+08:00"], now: now)
        #expect(start.from == 1_767_196_800_000 && start.to == 1_767_196_800_000 + 90 * day + 1)
        let end = try Open311Query.parse(["end_date": "2026-01-01T00:00:00Z"], now: now)
        #expect(end.to == 1_767_225_600_001 && end.from == 1_767_225_600_000 - 90 * day)
        #expect(
            try Open311Query.parse(["service_request_id": "A,B", "status": "bogus", "start_date": "bad"], now: now)
                == Open311Query(ids: ["A", "B"], from: 0, to: 0), "ids override the rest, even bad values")
        #expect(throws: Open311Errors.self) {
            try Open311Query.parse(
                ["start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:01Z"], now: now)
        }
        #expect(
            (try? Open311Query.parse(
                ["start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"], now: now)) != nil,
            "exactly 90 days is allowed")
        #expect(throws: Open311Errors(Open311Error(400, "invalid_date_range", "end_date is before start_date."))) {
            try Open311Query.parse(
                ["start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"], now: now)
        }
    }

    @Test func tokenBucketsRefillEvenly() {
        var bucket = TokenBucket(perMinute: 6, at: 0)
        for _ in 0..<6 { #expect(bucket.take(at: 0).allowed) }
        #expect(bucket.take(at: 0) == (false, 10_000))
        #expect(bucket.take(at: 5_000) == (false, 5_000))
        #expect(bucket.take(at: 10_000).allowed)
        #expect(!bucket.take(at: 10_000).allowed)
        #expect(bucket.take(at: 10 * 60_000).allowed, "refilled, but never beyond its capacity")
        for _ in 0..<5 { #expect(bucket.take(at: 10 * 60_000).allowed) }
        #expect(!bucket.take(at: 10 * 60_000).allowed)
    }

    @Test func aStoredBucketResumesWhereItWas() {
        var bucket = TokenBucket(perMinute: 6, tokens: 0.5, updatedAt: 1_000)
        #expect(bucket.take(at: 1_000) == (false, 5_000))
        #expect(bucket.take(at: 6_000).allowed)
        #expect(TokenBucket(perMinute: 6, tokens: 99, updatedAt: 0).tokens == 6, "never beyond its capacity")
        #expect(TokenBucket(perMinute: 6, tokens: -3, updatedAt: 0).tokens == 0)
    }

    @Test(arguments: 0..<200) func bucketsNeverAllowMoreThanTheirRate(seed: Int) {
        // Over any run of calls, allowed ≤ capacity + elapsed × rate.
        var generator = SplitMix64(seed: UInt64(seed))
        let rate = Int.random(in: 1...120, using: &generator)
        var bucket = TokenBucket(perMinute: rate, at: 0)
        var now: Int64 = 0, allowed = 0
        for _ in 0..<500 {
            now += Int64.random(in: 0...2_000, using: &generator)
            if bucket.take(at: now).allowed { allowed += 1 }
        }
        #expect(Double(allowed) <= Double(rate) + Double(now) * Double(rate) / 60_000 + 1e-9)
    }
}
