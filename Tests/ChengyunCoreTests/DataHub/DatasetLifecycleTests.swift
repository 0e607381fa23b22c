import ChengyunCore
import Testing

/// A dataset's registration and publication: the transition table by hand, and laws that hold
/// for every sequence of actions by anyone.
@Suite struct DatasetLifecycleTests {
    private func dataset(_ state: DatasetState = .draft, origin: DatasetOrigin = .registered) -> Dataset {
        var dataset = Dataset(
            id: "d1", code: "street-lamps", title: "路灯", description: "", ownerDepartmentId: "dep-1",
            ownerName: "市政", ownerCode: "municipal", areaPath: "/c/d/", origin: origin, sharingType: .unconditional,
            openType: .open, updateCycle: .monthly, fields: [DatasetField("code", .string, title: "编码", key: true)],
            createdBy: "u1", createdAt: 1_000)
        dataset.state = state
        return dataset
    }

    @Test func theTransitionTable() {
        let expected: [DatasetState: [DatasetAction: DatasetState]] = [
            .draft: [.submit: .underReview],
            .underReview: [.approve: .published, .reject: .draft],
            .published: [.withdraw: .withdrawn],
            .withdrawn: [.revise: .draft],
        ]
        for state in DatasetState.allCases {
            for action in DatasetAction.allCases {
                #expect(DatasetLifecycle.next(state, action) == expected[state]?[action], "\(state) \(action)")
            }
        }
    }

    @Test func theOwnerSubmitsAndSomeoneElseAtTheCentreApproves() throws {
        let submitted = try DatasetLifecycle.apply(
            .submit, to: dataset(), standing: .owner, actorId: "handler", note: nil, at: 2_000
        ).get()
        #expect(submitted.state == .underReview && submitted.submittedBy == "handler" && submitted.updatedAt == 2_000)
        // The owner may not publish its own data; nor may the centre's submitter approve its own submission.
        #expect(
            DatasetLifecycle.apply(.approve, to: submitted, standing: .owner, actorId: "x", note: nil, at: 3_000)
                == .failure(.notYours(.approve)))
        #expect(
            DatasetLifecycle.apply(
                .approve, to: submitted, standing: [.owner, .centre], actorId: "handler", note: nil, at: 3_000)
                == .failure(.ownSubmission))
        let published = try DatasetLifecycle.apply(
            .approve, to: submitted, standing: .centre, actorId: "centre", note: "好", at: 3_000
        ).get()
        #expect(published.state == .published && published.publishedAt == 3_000 && published.reviewNote == "好")
    }

    @Test func rejectionAndWithdrawalSayWhyAndRevisionIsTheNextVersion() throws {
        #expect(
            DatasetLifecycle.apply(
                .reject, to: dataset(.underReview), standing: .centre, actorId: "c", note: "  ", at: 1)
                == .failure(.noteRequired(.reject)))
        let withdrawn = try DatasetLifecycle.apply(
            .withdraw, to: dataset(.published), standing: .owner, actorId: "o", note: "数据有误", at: 5
        ).get()
        #expect(withdrawn.state == .withdrawn && withdrawn.reviewNote == "数据有误")
        let revised = try DatasetLifecycle.apply(
            .revise, to: withdrawn, standing: .owner, actorId: "o", note: nil, at: 6
        )
        .get()
        #expect(revised.state == .draft && revised.version == 2)
        #expect(
            DatasetLifecycle.apply(.submit, to: dataset(.published), standing: .owner, actorId: "o", note: nil, at: 1)
                == .failure(.notInState(.published, .submit)))
    }

    @Test func thePlatformsOwnDatasetsAreTheCentresAlone() {
        #expect(
            DatasetLifecycle.apply(
                .withdraw, to: dataset(.published, origin: .platform), standing: .owner, actorId: "o", note: "x",
                at: 1) == .failure(.notYours(.withdraw)))
        #expect(
            (try? DatasetLifecycle.apply(
                .withdraw, to: dataset(.published, origin: .platform), standing: .centre, actorId: "c", note: "x",
                at: 1
            ).get())?.state == .withdrawn)
    }

    /// Whatever anyone tries in whatever order: a dataset is published only by an approval of
    /// someone other than its submitter, its version grows by one per revision only, and a refused
    /// action changes nothing.
    @Test func lawsForEverySequence() {
        var random = SplitMix64(seed: 2_312)
        let actors: [(String, DatasetStanding)] = [
            ("owner", .owner), ("centre", .centre), ("both", [.owner, .centre]),
        ]
        for _ in 0..<400 {
            var current = dataset()
            var revisions = 0
            for step in 0..<30 {
                let action = DatasetAction.allCases[Int(random.next() % UInt64(DatasetAction.allCases.count))]
                let (actor, standing) = actors[Int(random.next() % 3)]
                let note: String? = random.next() % 2 == 0 ? "因为" : nil
                switch DatasetLifecycle.apply(
                    action, to: current, standing: standing, actorId: actor, note: note, at: Int64(step))
                {
                case .failure:
                    continue
                case .success(let next):
                    #expect(DatasetLifecycle.next(current.state, action) == next.state)
                    if next.state == .published {
                        #expect(action == .approve && current.submittedBy != actor && standing.contains(.centre))
                    }
                    if action == .revise { revisions += 1 }
                    #expect(next.version == 1 + revisions)
                    current = next
                }
            }
        }
    }
}
