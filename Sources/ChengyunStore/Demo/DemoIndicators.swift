import ChengyunCore

/// The demo city's vital signs: each area's built-up size from its own grid cells (the figure the
/// densities divide by), and a month of the shipped tree worked out day by day for the city, so
/// the indicator page has history to draw and forecast from.
struct DemoIndicators {
    let platform: Platform

    func build(now: Int64, days: Int = 30) async throws {
        let cells = try await platform.organisation.listGridCells(
            areaId: nil, page: PageRequest(limit: PageRequest.maxLimit), by: .system
        ).items
        let areas = try await platform.organisation.listAreas(
            level: nil, parentId: nil, page: PageRequest(limit: PageRequest.maxLimit), by: .system
        ).items
        let day: Int64 = 86_400_000
        // Put in two months back, so the figure stands for every day of the history.
        let figures = areas.filter { $0.level != .community }.compactMap { area -> IndicatorService.ImportedFigure? in
            let squareMetres = cells.filter { $0.areaPath.hasPrefix(area.path) }.reduce(0) { $0 + $1.areaSquareMetres }
            guard squareMetres > 0 else { return nil }
            return .init(areaId: area.id, at: now - 62 * day, value: (squareMetres / 1_000_000 * 100).rounded() / 100)
        }
        _ = try await platform.indicators.importValues(code: "base.area_km2", figures, by: .system)
        guard let city = areas.first(where: { $0.level == .city }) else { return }
        for back in stride(from: days - 1, through: 0, by: -1) {
            _ = try await platform.indicators.compute(
                areaId: city.id, at: now - Int64(back) * day, record: true, by: .system)
        }
    }
}
