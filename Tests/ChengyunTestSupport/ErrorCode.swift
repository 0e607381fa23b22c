import ChengyunCore

/// The stable code of the domain error `body` throws (nil when it succeeds; any other error
/// as text), so a test states the refusal it expects in one line.
public func errorCode(_ body: () async throws -> some Any) async -> String? {
    do {
        _ = try await body()
        return nil
    } catch let error as DomainError {
        return error.code.rawValue
    } catch {
        return "\(error)"
    }
}
