import Testing

@testable import ChengyunCore

@Suite struct HexTests {
    @Test func bytesAsLowerCaseHex() {
        #expect(Hex.string([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.string([UInt8]()) == "")
    }
}
