import ChengyunCore
import ChengyunStore
import Hummingbird

/// The audit log, readable by city-level administrators only: entries are not tied to one area,
/// so a district administrator would otherwise see other districts' activity.
struct AuditController {
    let platform: Platform

    struct AuditListing: Encodable, Sendable {
        var items: [AuditEntry]
        /// Pass as `beforeSeq` for the next (older) page.
        var nextBeforeSeq: Int64?
    }

    struct AuditVerification: Encodable, Sendable {
        var intact: Bool
        var checked: Int64
        var brokenAtSeq: Int64?
        var reason: String?
    }

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "audit", .admin,
            RouteDoc(
                "Audit log, newest first (city-level administrators)", .audit,
                parameters: [
                    .query("beforeSeq", .integer()), .query("limit", .integer()), .query("actorId"),
                    .query("targetType"), .query("targetId"),
                ])
        ) { request, _, principal in
            try requireCityScope(principal, "The audit log is for city-level administrators.")
            let limit = try request.pageRequest().limit
            let beforeSeq = try request.query("beforeSeq").map { text -> Int64 in
                guard let value = Int64(text) else {
                    throw Problem.badRequest("invalid_parameter", "beforeSeq is a whole number.")
                }
                return value
            }
            let filter = AuditRepository.Filter(
                actorId: request.query("actorId"), targetType: request.query("targetType"),
                targetId: request.query("targetId"))
            let items = try await platform.pool.read {
                try await AuditRepository().list(filter, beforeSeq: beforeSeq, limit: limit, on: $0)
            }
            return JSONBody(AuditListing(items: items, nextBeforeSeq: items.count == limit ? items.last?.seq : nil))
        }
        routes.on(.get, "audit/verify", .admin, RouteDoc("Verify the audit hash chain", .audit)) { _, _, principal in
            try requireCityScope(principal, "The audit log is for city-level administrators.")
            // Against the anchors outside the database too, as `chengyun audit verify` does.
            let anchors = try platform.settings.auditAnchorPath.map { try AuditAnchorFile(path: $0).read() } ?? [:]
            let verifier = try await platform.auditLog.verify(platform.pool, anchors: anchors)
            return JSONBody(
                AuditVerification(
                    intact: verifier.firstBreak == nil, checked: verifier.checked,
                    brokenAtSeq: verifier.firstBreak?.seq, reason: verifier.firstBreak?.reason.rawValue))
        }
        return routes
    }
}
