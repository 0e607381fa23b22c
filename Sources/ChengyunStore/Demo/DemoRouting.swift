import ChengyunCore

/// Which kind of department handles each default matter in the demo city, as a city operation
/// centre would set it up: the city's specialist units by default, the districts' own sanitation,
/// enforcement and municipal units for the everyday matters of their streets.
enum DemoRouting {
    /// Matter code (E0102…) → department kind at city level.
    static func cityKind(for matter: Matter) -> DepartmentKind {
        switch (matter.kind, matter.majorCode, matter.minorCode) {
        case (.component, "01", "01"), (.component, "01", "13"), (.event, "04", "02"): .water
        case (.component, "01", "02"), (.component, "01", "03"), (.component, "01", "04"), (.event, "01", "11"),
            (.event, "04", "04"):
            .drainage
        case (.component, "01", "05"), (.component, "01", "16"): .power
        case (.component, "01", "11"), (.event, "04", "03"): .gas
        case (.component, "02", "09"), (.component, "02", "11"), (.component, "02", "14"), (.event, "01", "07"),
            (.event, "05", "05"):
            .traffic
        case (.component, "03", "01"), (.component, "03", "05"), (.event, "01", _): .sanitation
        case (.component, "04", _): .landscaping
        case (.event, "03", "01"), (.event, "03", "02"), (.event, "03", "04"), (.event, "03", "07"): .housing
        case (.component, "03", "07"), (.event, "02", _), (.event, "05", _): .enforcement
        default: .municipal
        }
    }

    /// The district-level override for the everyday matters districts handle themselves.
    static func districtKind(for matter: Matter) -> DepartmentKind? {
        switch (matter.kind, matter.majorCode, matter.minorCode) {
        case (.event, "01", "02"), (.event, "01", "03"), (.event, "01", "04"), (.component, "03", "05"): .sanitation
        case (.event, "05", "01"), (.event, "05", "04"), (.event, "05", "07"), (.event, "05", "10"),
            (.event, "02", "01"):
            .enforcement
        case (.event, "03", "06"): .municipal
        default: nil
        }
    }
}
