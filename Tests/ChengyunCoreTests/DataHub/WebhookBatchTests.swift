import ChengyunCore
import Foundation
import Testing

/// A batch POST's body and how a queue is cut into POSTs.
@Suite struct WebhookBatchTests {
    @Test func theBodyKeepsEachDeliveryWithItsIdInOrder() throws {
        let body = WebhookBatch.body([
            .init(id: "d1", topic: "incident", body: #"{"topic":"incident","at":1}"#),
            .init(id: "d2", topic: "incident", body: #"{"topic":"incident","at":2,"title":"人民路\"燃气\""}"#),
        ])
        #expect(
            body
                == #"{"deliveries":[{"id":"d1","topic":"incident","change":{"topic":"incident","at":1}},"#
                + #"{"id":"d2","topic":"incident","change":{"topic":"incident","at":2,"title":"人民路\"燃气\""}}]}"#)
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let deliveries = try #require(parsed["deliveries"] as? [[String: Any]])
        #expect(deliveries.map { $0["id"] as? String } == ["d1", "d2"])
        #expect((deliveries[1]["change"] as? [String: Any])?["title"] as? String == #"人民路"燃气""#)
    }

    @Test func aQueueIsCutIntoPostsOfAtMostTheBatchSizeInOrder() {
        #expect(WebhookBatch.chunks([1, 2, 3, 4, 5, 6, 7], size: 3).map(Array.init) == [[1, 2, 3], [4, 5, 6], [7]])
        #expect(WebhookBatch.chunks([1, 2], size: 1).map(Array.init) == [[1], [2]])
        #expect(WebhookBatch.chunks([Int](), size: 3).isEmpty)
        #expect(WebhookBatch.chunks([1, 2], size: 0).map(Array.init) == [[1], [2]], "a size below 1 is 1")
    }

    /// For every queue and size: the POSTs hold every delivery once, in order, none over the size.
    @Test func cuttingLosesNothingAndKeepsOrderForAllSizes() {
        for count in 0...40 {
            let queue = Array(0..<count)
            for size in 1...12 {
                let chunks = WebhookBatch.chunks(queue, size: size)
                #expect(chunks.flatMap { $0 } == queue)
                #expect(chunks.allSatisfy { (1...size).contains($0.count) })
                #expect(chunks.count == (count + size - 1) / size)
            }
        }
    }
}
