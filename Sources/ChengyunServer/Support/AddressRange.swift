import NIOCore

/// A network in CIDR notation (`127.0.0.0/8`, `10.1.0.0/16`, `::1/128`), matched against a
/// caller's address. IPv4 callers seen on an IPv6 socket (`::ffff:a.b.c.d`) match IPv4 ranges.
struct AddressRange: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let address = try? SocketAddress(ipAddress: first, port: 0),
            let bytes = Self.bytes(of: address)
        else { return nil }
        let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let prefix, (0...(bytes.count * 8)).contains(prefix) else { return nil }
        self.bytes = bytes
        self.prefix = prefix
    }

    func contains(_ address: SocketAddress?) -> Bool {
        guard let address, var candidate = Self.bytes(of: address) else { return false }
        if candidate.count == 16 && bytes.count == 4
            && candidate[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff][...]
        {
            candidate = Array(candidate[12...])
        }
        guard candidate.count == bytes.count else { return false }
        var left = prefix
        for (a, b) in zip(candidate, bytes) where left > 0 {
            let bits = min(8, left)
            let mask: UInt8 = bits == 8 ? 0xff : ~(0xff >> UInt8(bits))
            if a & mask != b & mask { return false }
            left -= bits
        }
        return true
    }

    static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket: return nil
        }
    }
}
