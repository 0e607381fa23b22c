import ChengyunCore
import ChengyunStore
import Hummingbird

/// Departments and handling units.
struct DepartmentsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .get, "departments", .allStaff,
            RouteDoc(
                "List departments in scope", .organisation,
                parameters: [.query("kind", .named(DepartmentKind.self)), .cursor, .limit])
        ) { request, _, principal in
            JSONBody(
                try await platform.organisation.listDepartments(
                    kind: try request.queryEnum("kind", DepartmentKind.self), page: try request.pageRequest(),
                    by: principal))
        }
        routes.on(
            .get, "departments/{id}", .allStaff,
            RouteDoc("Read a department", .organisation, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await platform.organisation.department(id: try context.id(), by: principal))
        }
        routes.on(
            .post, "departments", .admin,
            RouteDoc(
                "Create a department", .organisation, body: .json(NewDepartment.self), status: 201,
                answers: [.problem(409, "Conflict (duplicate code or name)")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(NewDepartment.self, context: context)
            return JSONBody(try await platform.organisation.createDepartment(input, by: principal), status: .created)
        }
        routes.on(
            .patch, "departments/{id}", .admin,
            RouteDoc("Change a department", .organisation, body: .json(DepartmentChange.self))
        ) { request, context, principal in
            let change = try await request.decodeStrict(DepartmentChange.self, context: context)
            return JSONBody(
                try await platform.organisation.updateDepartment(id: try context.id(), change, by: principal))
        }
        return routes
    }
}
