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

extension ShippedFile {
    /// The bytes of a shipped file in a folder of the resources (the demo's snapshots).
    static func bytes(_ name: String, extension ext: String, folder: String) throws -> [UInt8] {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/" + folder)
        else { throw CocoaError(.fileNoSuchFile) }
        return Array(try Data(contentsOf: url))
    }
}
