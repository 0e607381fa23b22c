import ChengyunCore
import Testing

@Suite struct AreaCodeTests {
    @Test func cityCodesHaveSixDigitsEndingInZeroZero() {
        #expect(AreaCode.issues(code: "320500", level: .city, parentCode: nil, parentLevel: nil).isEmpty)
        #expect(
            AreaCode.issues(code: "320508", level: .city, parentCode: nil, parentLevel: nil).map(\.code) == [
                "invalid_code"
            ])
        #expect(
            AreaCode.issues(code: "32050", level: .city, parentCode: nil, parentLevel: nil).map(\.code) == [
                "invalid_code"
            ])
    }

    @Test func aDistrictSharesItsCitysFirstFourDigits() {
        #expect(AreaCode.issues(code: "320508", level: .district, parentCode: "320500", parentLevel: .city).isEmpty)
        #expect(
            AreaCode.issues(code: "330108", level: .district, parentCode: "320500", parentLevel: .city)
                .map(\.code) == ["code_outside_parent"])
    }

    @Test func streetsAndCommunitiesExtendTheirParentsCode() {
        #expect(
            AreaCode.issues(code: "320508001", level: .street, parentCode: "320508", parentLevel: .district).isEmpty)
        #expect(
            AreaCode.issues(code: "320508001002", level: .community, parentCode: "320508001", parentLevel: .street)
                .isEmpty)
        #expect(
            AreaCode.issues(code: "320506001002", level: .community, parentCode: "320508001", parentLevel: .street)
                .map(\.code) == ["code_outside_parent"])
    }

    @Test func levelsMustNestDirectly() {
        #expect(
            AreaCode.issues(code: "320508001002", level: .community, parentCode: "320508", parentLevel: .district)
                .map(\.code) == ["invalid_parent"])
        #expect(
            AreaCode.issues(code: "320508001", level: .street, parentCode: nil, parentLevel: nil)
                .map(\.code) == ["missing_parent"])
    }

    @Test func gridCellCodeSplitsIntoItsParts() throws {
        let code = try #require(GridCellCode("32050800100108"))
        #expect(code.countyCode == "320508")
        #expect(code.streetCode == "320508001")
        #expect(code.communityCode == "320508001001")
        #expect(code.sequence == 8)
        #expect(GridCellCode("3205080010010") == nil)
        #expect(GridCellCode("32050800100100") == nil, "sequence 00 is not a cell")
        #expect(GridCellCode(community: "320508001001", sequence: 7).value == "32050800100107")
    }

    @Test func componentCodeFollowsDomainExample() throws {
        // docs/domain.md §4: 3205080101000001 = Gusu district, 01 public facilities, 01 water manhole cover, serial 1.
        let code = try #require(ComponentCode("3205080101000001"))
        #expect(code.countyCode == "320508")
        #expect(code.majorCode == "01")
        #expect(code.minorCode == "01")
        #expect(code.serial == 1)
        #expect(ComponentCode("32050801010000A1") == nil)
    }
}
