import ChengyunCore

/// Routes about the whole platform rather than an area (the audit log, the cluster): an
/// administrator of a district would otherwise see the city's.
func requireCityScope(_ principal: Principal, _ message: String) throws {
    let depth = principal.scope?.path.split(separator: "/").count ?? 0
    guard depth == 1 else { throw Problem.forbidden(message) }
}
