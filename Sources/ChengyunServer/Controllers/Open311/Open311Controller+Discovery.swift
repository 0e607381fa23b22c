import ChengyunCore
import ChengyunStore
import Hummingbird

extension Open311Controller {
    /// GeoReport v2 discovery: where this server's endpoint is and what it speaks.
    func discovery(_ request: Request) -> Open311Document {
        let host = request.head.authority ?? "localhost"
        let base = "http://\(host)/\(platform.settings.open311.basePath)"
        return .object([
            ("changeset", .text("2026-11-22T00:00:00+08:00")), ("contact", .text(platform.settings.open311.contact)),
            (
                "key_service",
                .text("Ask the city operation centre's administrator for an API key with the open311:submit scope.")
            ),
            (
                "endpoints",
                .list(
                    element: "endpoint",
                    [
                        .object([
                            ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base)),
                            ("changeset", .text("2026-11-22T00:00:00+08:00")), ("type", .text("production")),
                            ("formats", .list(element: "format", [.text("application/json"), .text("text/xml")])),
                        ])
                    ])
            ),
        ])
    }
}
