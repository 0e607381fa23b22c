import ChengyunCore

/// The stable code of the domain error `body` throws (nil when it succeeds; any other error
/// as text), so a test states the refusal it expects in one line.
public func errorCode(_ body: () async throws -> some Any) async -> String? {
    await refusal(body) { $0.code.rawValue }
}

/// Like `errorCode`, but the field of the error's first issue when it names one (a validation
/// refusal says which input it refused).
public func errorFieldOrCode(_ body: () async throws -> some Any) async -> String? {
    await refusal(body) { $0.issues.first?.field ?? $0.code.rawValue }
}

private func refusal(_ body: () async throws -> some Any, naming: (DomainError) -> String) async -> String? {
    do {
        _ = try await body()
        return nil
    } catch let error as DomainError {
        return naming(error)
    } catch {
        return "\(error)"
    }
}
