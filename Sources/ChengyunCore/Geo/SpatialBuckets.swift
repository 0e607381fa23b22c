/// Fixed-size square buckets over longitude/latitude: the key of a spatial index kept in SQL.
/// A shape is filed under every bucket its bounding box touches; a point lookup reads the one
/// bucket the point falls in and tests only the shapes filed there, never every shape.
public struct SpatialBuckets: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public init(x: Int, y: Int) {
            self.x = x
            self.y = y
        }

        /// Both coordinates in one integer, for a single-column index (x and y stay far inside
        /// ±2³¹ for any bucket size above a micro-degree).
        public var packed: Int { x &* 4_294_967_296 &+ (y & 0xFFFF_FFFF) }
    }

    public let degrees: Double

    /// 0.005° is about 500 m × 550 m at Chinese latitudes: a handful of 100 m grid cells a bucket.
    public init(degrees: Double = 0.005) {
        precondition(degrees > 0)
        self.degrees = degrees
    }

    public func key(of point: GeoPoint) -> Key {
        Key(x: Int((point.lon / degrees).rounded(.down)), y: Int((point.lat / degrees).rounded(.down)))
    }

    public func keys(covering box: BoundingBox) -> [Key] {
        let low = key(of: GeoPoint(lon: box.minLon, lat: box.minLat))
        let high = key(of: GeoPoint(lon: box.maxLon, lat: box.maxLat))
        var keys: [Key] = []
        for x in low.x...high.x {
            for y in low.y...high.y { keys.append(Key(x: x, y: y)) }
        }
        return keys
    }
}
