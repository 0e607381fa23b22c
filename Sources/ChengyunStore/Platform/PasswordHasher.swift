import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt on NIO's blocking thread pool, so hashing does not stall the async executor.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: Int) { self.cost = UInt8(clamping: max(4, min(31, cost))) }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the account does not exist, made once per cost at the
    /// configured cost, so a missing account takes as long to refuse as a wrong password.
    func decoy() async throws -> String {
        if let made = Self.decoys.withLock({ $0[cost] }) { return made }
        let made = try await hash("decoy-password-never-matches-" + SecureToken.make(bytes: 12))
        return Self.decoys.withLock { decoys in
            if let earlier = decoys[cost] { return earlier }
            decoys[cost] = made
            return made
        }
    }

    private static let decoys = Mutex<[UInt8: String]>([:])
}
