import ChengyunCore
import ChengyunStore
import ChengyunTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// An administrator's writes stay inside their own area: a district's administrator creates and
/// renames areas, and creates users, only in the district.
@Suite struct AdminScopeTests {
    @Test(arguments: TestBackend.available) func aDistrictAdministratorCannotWriteOutsideTheDistrict(
        backend: TestBackend
    ) async throws {
        try await withPlatform(backend) { platform in
            let city = try await platform.organisation.createArea(
                NewArea(code: "320500", name: "苏州市", level: .city, parentId: nil), by: .system)
            let gusu = try await platform.organisation.createArea(
                NewArea(code: "320508", name: "姑苏区", level: .district, parentId: city.id), by: .system)
            let wuzhong = try await platform.organisation.createArea(
                NewArea(code: "320506", name: "吴中区", level: .district, parentId: city.id), by: .system)
            _ = try await platform.people.createUser(
                NewUser(
                    username: "admin.gusu", displayName: "区管理员", password: AuthFixtures.password,
                    roles: [.admin], areaId: gusu.id), by: .system)
            try await testApplication(platform).test(.router) { client in
                let token = try await client.login("admin.gusu", AuthFixtures.password)
                let own = try await client.call(
                    .post, "/api/v1/areas", token: token,
                    json: #"{"code":"320508001","name":"平江街道","level":"street","parentId":"\#(gusu.id)"}"#)
                #expect(own.status == .created)
                let foreign = try await client.call(
                    .post, "/api/v1/areas", token: token,
                    json: #"{"code":"320506001","name":"长桥街道","level":"street","parentId":"\#(wuzhong.id)"}"#)
                #expect(foreign.status == .forbidden)
                #expect(foreign.problemCode == "out_of_scope")
                let rename = try await client.call(
                    .patch, "/api/v1/areas/\(wuzhong.id)", token: token, json: #"{"name":"x"}"#)
                #expect(rename.problemCode == "out_of_scope")
                let user = try await client.call(
                    .post, "/api/v1/users", token: token,
                    json: """
                        {"username":"sneaky","displayName":"x","password":"Sneaky-Pass-1","roles":["admin"],"areaId":"\(city.id)"}
                        """)
                #expect(user.problemCode == "out_of_scope", "a district admin cannot create a city-wide admin")
                #expect(try await client.call(.get, "/api/v1/audit", token: token).status == .forbidden)
            }
        }
    }
}
