import ChengyunCore
import SQLKit

/// Areas, grid cells and departments: validation, scope and audit around the repositories.
public struct OrganisationService: Sendable {
    let platform: Platform
    let areas = AreaRepository()
    let cells = GridCellRepository()
    let departments = DepartmentRepository()

    // MARK: Areas

    public func createArea(_ input: NewArea, by actor: Principal) async throws -> Area {
        try await platform.write(actor, "area.create", target: "area", summary: { ($0.id, "\($0.code) \($0.name)") }) {
            db in
            var parent: Area?
            if let parentId = input.parentId {
                parent = try await areas.find(id: parentId, on: db)
                guard let parent else {
                    throw DomainError.validation([
                        FieldIssue(
                            field: "parentId", code: "unknown_parent",
                            message: "No area has this id.")
                    ])
                }
                try actor.requireScope(parent.path)
            }
            var validator = Validator()
            validator.checkName(input.name)
            for issue in AreaCode.issues(
                code: input.code, level: input.level, parentCode: parent?.code,
                parentLevel: parent?.level)
            { validator.add(issue) }
            try validator.finish()
            // A new root is a new city: only the platform itself (the CLI) makes one.
            if parent == nil, actor.scope?.path != "/" { throw DomainError.outOfScope() }
            if try await areas.find(code: input.code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "An area with code \(input.code) exists.")
            }
            let now = platform.now()
            let id = Identifier.make(at: now)
            let area = Area(
                id: id, code: input.code, name: input.name, level: input.level, parentId: parent?.id,
                path: Area.path(for: id, under: parent), createdAt: now, updatedAt: now)
            try await areas.insert(area, on: db)
            return area
        }
    }

    public func renameArea(id: String, _ change: AreaChange, by actor: Principal) async throws -> Area {
        try await platform.write(actor, "area.update", target: "area", summary: { ($0.id, "renamed to \($0.name)") }) {
            db in
            var area = try await area(id: id, by: actor, on: db)
            var validator = Validator()
            validator.checkName(change.name)
            try validator.finish()
            area.name = change.name
            area.updatedAt = platform.now()
            try await areas.update(area, on: db)
            return area
        }
    }

    public func area(id: String, by actor: Principal) async throws -> Area {
        try await platform.pool.read { try await area(id: id, by: actor, on: $0) }
    }

    func area(id: String, by actor: Principal, on db: any SQLDatabase) async throws -> Area {
        try actor.found(try await areas.find(id: id, on: db), "Area", in: \.path)
    }

    public func listAreas(level: AreaLevel?, parentId: String?, page: PageRequest, by actor: Principal) async throws
        -> Page<Area>
    {
        try await platform.pool.read { db in
            try await areas.list(
                .init(scopePath: actor.listScope, level: level, parentId: parentId),
                page: page, on: db)
        }
    }

    // MARK: Grid cells

    public func createGridCell(_ input: NewGridCell, by actor: Principal) async throws -> GridCell {
        try await platform.write(
            actor, "grid_cell.create", target: "grid_cell",
            summary: { ($0.id, "\($0.code) \($0.name)") }
        ) { db in
            var validator = Validator()
            validator.checkName(input.name)
            let code = GridCellCode(input.code)
            validator.check(
                code != nil, "code", "invalid_code",
                "A grid cell code has 14 digits: community code (12) and a sequence 01–99.")
            try validator.finish()
            guard let code, let community = try await areas.find(code: code.communityCode, on: db),
                community.level == .community
            else {
                throw DomainError.validation([
                    FieldIssue(
                        field: "code", code: "unknown_community",
                        message: "The first 12 digits must be a community's code.")
                ])
            }
            try actor.requireScope(community.path)
            if try await cells.find(code: input.code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "A grid cell with code \(input.code) exists.")
            }
            let now = platform.now()
            let cell = GridCell(
                id: Identifier.make(at: now), code: input.code, name: input.name, areaId: community.id,
                areaPath: community.path, geometry: input.geometry, createdAt: now, updatedAt: now)
            try await cells.insert(cell, on: db)
            return cell
        }
    }

    public func updateGridCell(id: String, _ change: GridCellChange, by actor: Principal) async throws -> GridCell {
        try await platform.write(
            actor, "grid_cell.update", target: "grid_cell",
            summary: { ($0.id, "\($0.code) updated") }
        ) { db in
            var cell = try await gridCell(id: id, by: actor, on: db)
            var validator = Validator()
            if let name = change.name { validator.checkName(name) }
            try validator.finish()
            cell.name = change.name ?? cell.name
            if let geometry = change.geometry {
                cell.geometry = geometry
                cell.areaSquareMetres = geometry.areaSquareMetres
            }
            cell.updatedAt = platform.now()
            try await cells.update(cell, on: db)
            return cell
        }
    }

    public func deleteGridCell(id: String, by actor: Principal) async throws {
        _ = try await platform.write(
            actor, "grid_cell.delete", target: "grid_cell",
            summary: { (cell: GridCell) in (cell.id, "\(cell.code) deleted") }
        ) { db in
            let cell = try await gridCell(id: id, by: actor, on: db)
            try await cells.delete(id: id, on: db)
            return cell
        }
    }

    public func gridCell(id: String, by actor: Principal) async throws -> GridCell {
        try await platform.pool.read { try await gridCell(id: id, by: actor, on: $0) }
    }

    func gridCell(id: String, by actor: Principal, on db: any SQLDatabase) async throws -> GridCell {
        try actor.found(try await cells.find(id: id, on: db), "Grid cell", in: \.areaPath)
    }

    public func listGridCells(areaId: String?, page: PageRequest, by actor: Principal) async throws -> Page<GridCell> {
        try await platform.pool.read { db in
            try await cells.list(scopePath: actor.listScope, areaId: areaId, page: page, on: db)
        }
    }

    /// Which grid cell holds the point; nil when none does or it lies outside the caller's scope.
    public func locate(_ point: GeoPoint, by actor: Principal) async throws -> GridCell? {
        guard point.isValid else {
            throw DomainError.validation([
                FieldIssue(
                    field: "lon/lat", code: "invalid_position",
                    message: "Longitude -180…180 and latitude -90…90.")
            ])
        }
        let cell = try await platform.pool.read { try await cells.locate(point, on: $0) }
        guard let cell, actor.canSee(path: cell.areaPath) else { return nil }
        return cell
    }

    // MARK: Departments

    public func createDepartment(_ input: NewDepartment, by actor: Principal) async throws -> Department {
        try await platform.write(
            actor, "department.create", target: "department",
            summary: { ($0.id, "\($0.code) \($0.name)") }
        ) { db in
            var validator = Validator()
            validator.checkName(input.name)
            validator.check(
                !input.code.isEmpty && input.code.count <= 32
                    && input.code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") },
                "code", "invalid_code", "A department code is 1–32 letters, digits or dashes.")
            try validator.finish()
            guard let area = try await areas.find(id: input.areaId, on: db) else {
                throw DomainError.validation([
                    FieldIssue(field: "areaId", code: "unknown_area", message: "No area has this id.")
                ])
            }
            try actor.requireScope(area.path)
            if try await departments.find(code: input.code, on: db) != nil {
                throw DomainError(.conflict, code: "duplicate_code", "A department with code \(input.code) exists.")
            }
            let now = platform.now()
            let department = Department(
                id: Identifier.make(at: now), code: input.code, name: input.name,
                kind: input.kind, areaId: area.id, areaPath: area.path, phone: input.phone,
                createdAt: now, updatedAt: now)
            try await departments.insert(department, on: db)
            return department
        }
    }

    public func updateDepartment(id: String, _ change: DepartmentChange, by actor: Principal) async throws -> Department
    {
        try await platform.write(
            actor, "department.update", target: "department",
            summary: { ($0.id, "\($0.code) updated") }
        ) { db in
            var department = try await department(id: id, by: actor, on: db)
            var validator = Validator()
            if let name = change.name { validator.checkName(name) }
            try validator.finish()
            department.name = change.name ?? department.name
            department.kind = change.kind ?? department.kind
            department.phone = change.phone ?? department.phone
            department.active = change.active ?? department.active
            department.updatedAt = platform.now()
            try await departments.update(department, on: db)
            return department
        }
    }

    public func department(id: String, by actor: Principal) async throws -> Department {
        try await platform.pool.read { try await department(id: id, by: actor, on: $0) }
    }

    func department(id: String, by actor: Principal, on db: any SQLDatabase) async throws -> Department {
        try actor.found(try await departments.find(id: id, on: db), "Department", in: \.areaPath)
    }

    public func listDepartments(kind: DepartmentKind?, page: PageRequest, by actor: Principal) async throws
        -> Page<Department>
    {
        try await platform.pool.read { db in
            try await departments.list(scopePath: actor.listScope, kind: kind, page: page, on: db)
        }
    }
}
