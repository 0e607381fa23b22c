extension Optional {
    /// `map` with an asynchronous transform (a lookup that awaits the database, say).
    public func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
