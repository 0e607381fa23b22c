import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hosts the platform never sends to or fetches from: link-local addresses (169.254.0.0/16,
/// fe80::/10, where clouds keep their metadata services) and the unspecified ones (0.0.0.0/8, ::).
/// A literal address is read as the system's resolver reads it — `2852039166`, `0251.254.169.254`
/// and `::ffff:a9fe:a9fe` are 169.254.169.254 too. A name is looked up before each call, and
/// refused when it stands for one of these (`OutboundAddress`).
public enum OutboundHost {
    /// Whether `host` is an address written out (IPv4 in any spelling the resolver reads, or IPv6),
    /// not a name to look up.
    public static func isLiteral(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare.contains(":") { return true }
        var v4 = in_addr()
        return inet_aton(bare, &v4) != 0
    }

    public static func isForbidden(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        var v6 = in6_addr()
        if bare.contains(":") {
            // A zone (`%eth0`) marks a link-local address anyway.
            if bare.contains("%") { return true }
            guard inet_pton(AF_INET6, bare, &v6) == 1 else { return false }
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes.allSatisfy({ $0 == 0 }) { return true }
            if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }
            // IPv4-mapped and IPv4-compatible: the IPv4 address inside.
            if bytes[0..<10].allSatisfy({ $0 == 0 })
                && (bytes[10..<12].allSatisfy { $0 == 0xff } || bytes[10..<12].allSatisfy { $0 == 0 })
            {
                return isForbidden(v4: Array(bytes[12..<16]))
            }
            return false
        }
        var v4 = in_addr()
        guard inet_aton(bare, &v4) != 0 else { return false }
        return isForbidden(v4: withUnsafeBytes(of: v4) { Array($0) })
    }

    static func isForbidden(v4 bytes: [UInt8]) -> Bool {
        bytes[0] == 0 || (bytes[0] == 169 && bytes[1] == 254)
    }
}
