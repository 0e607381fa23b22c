import Foundation

/// GCJ-02 (国测局坐标, "Mars coordinates"): the obfuscated datum every map published in mainland
/// China must use (AMap/高德, Tencent, and the data their users export). Chinese sources give
/// positions in it, offset from WGS-84 by a few hundred metres; the platform stores WGS-84.
/// The forward transform is the widely published one (Krasovsky ellipsoid constants); the
/// reverse is found by fixed-point iteration to a millionth of a metre's worth of degrees.
public enum MarsCoordinates {
    static let semiMajorAxis = 6_378_245.0
    static let eccentricitySquared = 0.006_693_421_622_965_943_23

    /// Outside mainland China's rough box the datum is WGS-84 itself.
    public static func isInChina(_ point: GeoPoint) -> Bool {
        (72.004...137.8347).contains(point.lon) && (0.8293...55.8271).contains(point.lat)
    }

    public static func gcj02(fromWGS84 point: GeoPoint) -> GeoPoint {
        guard isInChina(point) else { return point }
        let (dLon, dLat) = offset(point)
        return GeoPoint(lon: point.lon + dLon, lat: point.lat + dLat)
    }

    public static func wgs84(fromGCJ02 point: GeoPoint) -> GeoPoint {
        guard isInChina(point) else { return point }
        var guess = point
        for _ in 0..<30 {
            let there = gcj02(fromWGS84: guess)
            let (errorLon, errorLat) = (there.lon - point.lon, there.lat - point.lat)
            guess = GeoPoint(lon: guess.lon - errorLon, lat: guess.lat - errorLat)
            if abs(errorLon) < 1e-10 && abs(errorLat) < 1e-10 { break }
        }
        return guess
    }

    private static func offset(_ point: GeoPoint) -> (Double, Double) {
        let x = point.lon - 105.0
        let y = point.lat - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLon += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLon += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = point.lat / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - eccentricitySquared * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((semiMajorAxis * (1 - eccentricitySquared)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (semiMajorAxis / sqrtMagic * cos(radLat) * .pi)
        return (dLon, dLat)
    }
}
