import ChengyunCore
import Testing

/// Depot stock moves: hand-picked cases, and the laws that hold for any quantities.
@Suite struct StockMoveTests {
    private func code(_ body: () throws -> Double) -> ErrorCode? {
        do {
            _ = try body()
            return nil
        } catch { return (error as? DomainError)?.code }
    }

    @Test func stockNeverGoesBelowZeroNorBackAboveWhatWasIssued() throws {
        #expect(try StockMove.restock.apply(500, to: 1_500) == 2_000)
        #expect(try StockMove.issue.apply(500, to: 2_000) == 1_500)
        #expect(code { try StockMove.issue.apply(501, to: 500) } == "insufficient_stock")
        #expect(try StockMove.giveBack.apply(200, to: 1_500, outstanding: 500) == 1_700)
        #expect(code { try StockMove.giveBack.apply(201, to: 0, outstanding: 200) } == "over_return")
        for bad in [0, -1, .nan, .infinity, 2e9] {
            #expect(code { try StockMove.restock.apply(bad, to: 10) } == "validation_failed")
        }
    }

    @Test func issuingAndGivingBackTheSameRestoresTheStock() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let stock = Double(Int.random(in: 0...10_000, using: &rng))
            let quantity = Double(Int.random(in: 1...10_000, using: &rng))
            if quantity > stock {
                #expect(code { try StockMove.issue.apply(quantity, to: stock) } == "insufficient_stock")
                continue
            }
            let after = try StockMove.issue.apply(quantity, to: stock)
            #expect(after >= 0 && after == stock - quantity)
            #expect(try StockMove.giveBack.apply(quantity, to: after, outstanding: quantity) == stock)
        }
    }
}
