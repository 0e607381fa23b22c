import Synchronization

/// A fact a process learns once and keeps: set, it stays set, shared by every copy of its owner.
public final class OnceFlag: Sendable {
    private let state = Mutex(false)

    public init() {}

    public var isSet: Bool { state.withLock { $0 } }

    public func set() { state.withLock { $0 = true } }
}
