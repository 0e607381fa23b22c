import ChengyunCore
import Testing

@Suite struct EvaluationFormulaTests {
    @Test func volumeScoresAreRelativeToTheBusiestPeerByDefault() {
        let scores = EvaluationWeights().volumeScores(["a": 40, "b": 10, "c": 0])
        #expect(scores == ["a": 100, "b": 25, "c": 0])
    }

    @Test func volumeBandsGiveAPublishedScale() {
        var weights = EvaluationWeights()
        weights.volumeBands = [
            VolumeBand(minimum: 0, score: 60), VolumeBand(minimum: 50, score: 80), VolumeBand(minimum: 100, score: 100),
        ]
        #expect(weights.volumeScores(["a": 120, "b": 50, "c": 49, "d": 0]) == ["a": 100, "b": 80, "c": 60, "d": 60])
    }

    @Test func aDepartmentsScoreByHand() {
        var counts = DepartmentCounts()
        (counts.handled, counts.handledOnTime, counts.overdueUnhandled, counts.reworked) = (18, 15, 2, 3)
        let (figures, score) = EvaluationFormulas.department(counts, volumeScore: 80, weights: EvaluationWeights())
        // closing 18/20 = 90; on time 15/18 = 83.33; rework 3/18 = 16.67
        // 80×0.1 + 90×0.3 + 83.33×0.3 + (100 − 16.67)×0.3 = 8 + 27 + 25 + 25 = 85
        #expect(abs((figures["closingRate"] ?? nil)! - 90) < 0.01)
        #expect(abs(score! - 85) < 0.01)
        #expect(Grade(score: score!) == .B)
    }

    @Test func gradesFollowTheDomainBands() {
        #expect([95, 90, 89.9, 75, 60, 59.9, 40, 10].map { Grade(score: $0) } == [.A, .A, .B, .B, .C, .D, .D, .E])
        #expect(weightedScore([(nil, 40), (nil, 60)]) == nil, "nothing to score is no score")
        #expect(weightedScore([(50, 40), (nil, 60)]) == 50, "a missing figure's weight is shared out")
    }
}
