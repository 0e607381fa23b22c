import Foundation

extension String {
    /// A code in lower case — a letter, then letters, digits or '_', 40 at most — as the platform
    /// writes fact names, capabilities and incident types (`evacuated`, `drainage`, `gas_leak`).
    public var isLowerCode: Bool { range(of: #"^[a-z][a-z0-9_]{0,39}$"#, options: .regularExpression) != nil }
}
