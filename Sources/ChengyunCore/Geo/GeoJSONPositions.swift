import Foundation

/// Every position of a GeoJSON geometry (RFC 7946 §3.1) passed through a transform — GCJ-02 to
/// WGS-84 for a Chinese map source's shapes, as the pipeline does for a point's longitude and
/// latitude. A position's third and later numbers (altitude) are kept as they are.
public enum GeoJSONPositions {
    /// The geometry's text with its positions transformed (the text as it was when none moves: a
    /// shape outside China, say); nil when it is not a GeoJSON geometry. A `bbox` is dropped: it
    /// would no longer bound the shape.
    public static func map(_ text: String, _ transform: (GeoPoint) -> GeoPoint) -> String? {
        var moved = false
        let tracked = { (point: GeoPoint) -> GeoPoint in
            let to = transform(point)
            if to != point { moved = true }
            return to
        }
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let mapped = geometry(object, tracked)
        else { return nil }
        guard moved else { return text }
        guard
            let out = try? JSONSerialization.data(
                withJSONObject: mapped, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    private static func geometry(_ object: [String: Any], _ transform: (GeoPoint) -> GeoPoint) -> [String: Any]? {
        var object = object
        object.removeValue(forKey: "bbox")
        if object["type"] as? String == "GeometryCollection" {
            guard let parts = object["geometries"] as? [[String: Any]] else { return nil }
            var mapped: [[String: Any]] = []
            for part in parts {
                guard let geometry = geometry(part, transform) else { return nil }
                mapped.append(geometry)
            }
            object["geometries"] = mapped
            return object
        }
        guard let coordinates = object["coordinates"], let mapped = positions(coordinates, transform) else {
            return nil
        }
        object["coordinates"] = mapped
        return object
    }

    /// A position (an array whose first two members are numbers) or an array of them, nested.
    private static func positions(_ value: Any, _ transform: (GeoPoint) -> GeoPoint) -> Any? {
        guard let array = value as? [Any] else { return nil }
        if array.count >= 2, let lon = number(array[0]), let lat = number(array[1]) {
            let point = transform(GeoPoint(lon: lon, lat: lat))
            return [point.lon, point.lat] + array.dropFirst(2)
        }
        var mapped: [Any] = []
        for element in array {
            guard let position = positions(element, transform) else { return nil }
            mapped.append(position)
        }
        return mapped
    }

    /// A JSON number as Foundation reads it. It is not told from `true` and `false` (read as
    /// NSNumber too, and 0 and 1 bridge to Bool): a boolean where a coordinate belongs counts as 1 or 0.
    private static func number(_ value: Any) -> Double? {
        guard !(value is [Any]) else { return nil }
        if let number = value as? Double { return number }
        return (value as? NSNumber)?.doubleValue
    }
}
