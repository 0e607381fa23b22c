import Foundation

/// `application/x-www-form-urlencoded` text as name–value pairs in their order. Repeated names
/// stay repeated (`attribute[kind][]=a&attribute[kind][]=b`).
public enum URLForm {
    /// nil when a pair is not valid percent-encoded UTF-8.
    public static func parse(_ text: String) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue) =
                part.firstIndex(of: "=").map { (part[..<$0], part[part.index(after: $0)...]) } ?? (part, "")
            guard let name = decode(rawName), let value = decode(rawValue) else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
