/// Polls `check` every `every` until it holds or `within` has passed, and says whether it held:
/// tests wait for a state this way, never for a fixed time, so a slow machine only makes them slower.
/// `check` runs once more at the deadline, so a state reached during the last pause is seen.
public func eventually(
    within: Duration = .seconds(20), every: Duration = .milliseconds(10), _ check: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + within
    while true {
        if try await check() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: every)
    }
}
