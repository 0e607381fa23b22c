import Foundation

/// A JSON file shipped in the Store's resources (the default catalogue, calendar, indicator tree,
/// device kinds).
enum ShippedFile {
    static func read<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}
