import ChengyunCore
import Foundation
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A host looked up before the platform calls it (webhooks, pulls, services): a name standing for
/// a link-local or unspecified address — a cloud's metadata service under a friendly name — is
/// refused as that address written out is refused at registration (`OutboundHost`). A literal is
/// never looked up. An answer is kept a minute, and callers asking for the same name meanwhile
/// share one look, so a busy receiver costs one look a minute, not one a POST. Looks run on a
/// small pool of their own: a resolver that does not answer holds them, never the threads that
/// hash passwords or commit SQLite. A name that cannot be looked up is not kept, and is left to
/// the call, which fails as unreachable. A name whose answer changes between the look and the
/// call (DNS rebinding) is the firewall's to stop.
public enum OutboundAddress {
    /// What an attempt refused here records as its error.
    public static let refusal = "forbidden_address"
    /// How long a feed refused here waits before it looks again (as long as an answer is kept).
    public static let retryMillis: Int64 = 60_000

    /// The lookups kept, by host: whether the host stood for a forbidden address, and until when
    /// that answer holds.
    private static let kept = Mutex<[String: (forbidden: Bool, until: ContinuousClock.Instant)]>([:])
    private static let keptFor = Duration.seconds(60)
    private static let keptAtMost = 10_000
    /// The looks under way, by queue and host, each shared by everyone asking meanwhile on that
    /// queue: whether the host stands for a forbidden address (nil: the resolver gave nothing). A
    /// call never joins a registration's look, which may wait behind others on its own thread.
    private static let underWay = Mutex<[String: Task<Bool?, Never>]>([:])
    /// Looks before calls, and looks at registration on a thread of their own: names whose
    /// resolver never answers, registered again and again, hold that thread, never the calls'.
    private static let lookups = started(NIOThreadPool(numberOfThreads: 2))
    private static let registrationLookups = started(NIOThreadPool(numberOfThreads: 1))
    /// How long a registration waits for its look before letting the name through (the look goes
    /// on, and its answer is kept for the calls).
    static let registrationWait = Duration.seconds(3)
    /// Registration looks under way at most. Past it a registration lets its name through unlooked
    /// (every call looks), so distinct names that never resolve cannot queue without end.
    static let registrationLooksAtMost = 16
    private static let registrationKey = "registration "

    /// Whether `url`'s host may be called now.
    public static func admits(_ url: URL) async -> Bool {
        await forbids(url, registering: false) != true
    }

    /// Refuses, as the registrant writes it, a URL the platform will call whose name stands now
    /// for a forbidden address (`forbidden_address` on its field), so the registrant hears at once
    /// rather than from a feed's last error. A name that cannot be looked up yet, or not within
    /// `registrationWait`, is let through; every call looks again. Callers look only once the
    /// registrant is known to be allowed to register, so a refusal tells no one else anything.
    public static func checkNames(_ urls: [(field: String, url: String?)]) async throws {
        var validator = Validator()
        for (field, url) in urls {
            guard let url = url.flatMap(URL.init(string:)) else { continue }
            let forbidden = await forbids(url, registering: true)
            validator.check(
                forbidden != true, field, ErrorCode(rawValue: refusal),
                "The host's name stands for a link-local or unspecified address (a cloud's metadata service).")
        }
        try validator.finish()
    }

    /// Whether `url`'s host stands for a forbidden address: nil when that is not known (the
    /// resolver gave nothing, or a registration's look did not answer within `registrationWait`).
    static func forbids(_ url: URL, registering: Bool) async -> Bool? {
        guard let host = url.host?.lowercased(), !host.isEmpty else { return true }
        if OutboundHost.isLiteral(host) { return OutboundHost.isForbidden(host) }
        if let known = kept.withLock({ $0[host] }), known.until > .now { return known.forbidden }
        let (pool, key) = registering ? (registrationLookups, registrationKey + host) : (lookups, host)
        let look: Task<Bool?, Never>? = underWay.withLock { running in
            if let look = running[key] { return look }
            if registering, !mayStartRegistrationLook(besides: running.keys) { return nil }
            let look = Task { () -> Bool? in
                let addresses = (try? await pool.runIfActive { lookUp(host) }) ?? []
                let forbidden = addresses.isEmpty ? nil : addresses.contains(where: OutboundHost.isForbidden)
                if let forbidden {
                    kept.withLock { kept in
                        if kept.count >= keptAtMost { kept.removeAll() }
                        kept[host] = (forbidden, .now + keptFor)
                    }
                }
                underWay.withLock { $0[key] = nil }
                return forbidden
            }
            running[key] = look
            return look
        }
        guard let look else { return nil }
        return registering ? await answer(of: look, within: registrationWait) : await look.value
    }

    /// Whether a registration may start a look while the looks `underWay` are running.
    static func mayStartRegistrationLook(besides underWay: some Sequence<String>) -> Bool {
        underWay.count { $0.hasPrefix(registrationKey) } < registrationLooksAtMost
    }

    /// `look`'s answer if it comes within `deadline`, else nil; the look itself is never cancelled
    /// (its answer is kept for the calls).
    static func answer(of look: Task<Bool?, Never>, within deadline: Duration) async -> Bool? {
        let waiting = FirstAnswer()
        return await withCheckedContinuation { continuation in
            waiting.wait(continuation)
            Task { waiting.answer(await look.value) }
            Task {
                try? await Task.sleep(for: deadline)
                waiting.answer(nil)
            }
        }
    }

    /// A continuation resumed by the first answer given, the later ones dropped.
    private final class FirstAnswer: Sendable {
        private let continuation = Mutex<CheckedContinuation<Bool?, Never>?>(nil)
        func wait(_ waiting: CheckedContinuation<Bool?, Never>) { continuation.withLock { $0 = waiting } }
        func answer(_ answer: Bool?) { continuation.withLock { $0.take() }?.resume(returning: answer) }
    }

    private static func started(_ pool: NIOThreadPool) -> NIOThreadPool {
        pool.start()
        return pool
    }

    /// The addresses the system's resolver gives for `host`, written out (none when it gives none).
    static func lookUp(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &found) == 0, let first = found else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = entry.pointee.ai_addr,
                getnameinfo(address, entry.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST)
                    == 0
            {
                addresses.append(String(cString: text))
            }
            next = entry.pointee.ai_next
        }
        return addresses
    }
}
