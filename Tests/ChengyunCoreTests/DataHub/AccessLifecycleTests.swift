import ChengyunCore
import Testing

/// Access applications: who approves in which order, the four eyes, the terms checked against
/// the dataset, the meter's windows by hand, and laws over every sequence of decisions.
@Suite struct AccessLifecycleTests {
    private func dataset(_ sharing: SharingType = .conditional, owner: String? = "dep-owner") -> Dataset {
        var dataset = Dataset(
            id: "d1", code: "street-lamps", title: "路灯", description: "", ownerDepartmentId: owner,
            ownerName: "市政", ownerCode: "municipal", areaPath: "/c/", origin: .registered, sharingType: sharing,
            sharingCondition: sharing == .unconditional ? nil : "向应急部门共享", openType: .closed,
            updateCycle: .monthly,
            fields: [
                DatasetField("code", .string, title: "编码", key: true), DatasetField("power", .number, title: "功率"),
                DatasetField("lon", .lon, title: "经度"), DatasetField("lat", .lat, title: "纬度"),
            ], createdBy: "u1", createdAt: 1_000)
        dataset.state = .published
        return dataset
    }

    private func application(_ dataset: Dataset, days: Int = 30) -> AccessApplication {
        AccessApplication(
            id: "a1", datasetId: dataset.id, datasetCode: dataset.code, departmentId: "dep-consumer",
            consumer: "应急管理局", system: "应急指挥系统",
            terms: AccessTerms(purpose: "防汛巡查", fields: ["code", "lon", "lat"], days: days),
            stages: AccessLifecycle.stages(for: dataset, consumerDepartmentId: "dep-consumer"),
            applicantId: "applicant", appliedAt: 5_000)
    }

    private let owner = AccessLifecycle.Actor(id: "owner-handler", departmentId: "dep-owner", standing: .owner)
    private let centre = AccessLifecycle.Actor(id: "centre-admin", departmentId: nil, standing: .centre)
    private let colleague = AccessLifecycle.Actor(id: "colleague", departmentId: "dep-consumer", standing: [])

    @Test func stagesFollowSharingAndOwner() {
        #expect(AccessLifecycle.stages(for: dataset(.conditional), consumerDepartmentId: "d") == [.owner, .centre])
        #expect(AccessLifecycle.stages(for: dataset(.unconditional), consumerDepartmentId: "d") == [.owner])
        #expect(AccessLifecycle.stages(for: dataset(.conditional, owner: nil), consumerDepartmentId: "d") == [.centre])
        // The centre does not approve its own application: the owner alone decides.
        #expect(AccessLifecycle.stages(for: dataset(.conditional), consumerDepartmentId: nil) == [.owner])
    }

    @Test func theCentreDoesNotStandInForTheOwnerDepartment() {
        let lamps = dataset()
        let staff = { (roles: Set<Role>, path: String, department: String?) in
            Principal(
                kind: .staff, id: "x", name: "x", roles: roles, scope: AreaScope(areaId: "a", path: path),
                departmentId: department)
        }
        #expect(AccessLifecycle.deciderStanding(staff([.admin], "/c/", nil), over: lamps) == .centre)
        #expect(AccessLifecycle.deciderStanding(staff([.handler], "/c/d/", "dep-owner"), over: lamps) == .owner)
        #expect(AccessLifecycle.deciderStanding(staff([.inspector], "/c/d/", "dep-owner"), over: lamps).isEmpty)
        var district = lamps
        district.areaPath = "/c/d/"
        #expect(AccessLifecycle.deciderStanding(staff([.admin], "/c/d/", nil), over: district) == .owner)
    }

    @Test func whoMayApply() {
        var draft = dataset()
        draft.state = .draft
        #expect(AccessLifecycle.refusalToApply(draft, consumerDepartmentId: "dep-consumer") == .notPublished)
        #expect(AccessLifecycle.refusalToApply(dataset(.none), consumerDepartmentId: "dep-consumer") == .notShared)
        #expect(AccessLifecycle.refusalToApply(dataset(), consumerDepartmentId: "dep-owner") == .ownDataset)
        #expect(AccessLifecycle.refusalToApply(dataset(), consumerDepartmentId: "dep-consumer") == nil)
        // The centre applies for a system of its own.
        #expect(AccessLifecycle.refusalToApply(dataset(), consumerDepartmentId: nil) == nil)
        var platformData = dataset(.conditional, owner: nil)
        platformData.origin = .platform
        #expect(AccessLifecycle.refusalToApply(platformData, consumerDepartmentId: nil) == .platformDataset)
    }

    @Test func termsAreCheckedAgainstTheDataset() {
        let lamps = dataset()
        let good = AccessTerms(purpose: "防汛", fields: ["lat", "code"], days: 365, ratePerMinute: 600)
        #expect(good.issues(for: lamps).isEmpty)
        #expect(good.ordered(by: lamps) == ["code", "lat"])
        #expect(
            AccessTerms(purpose: "防汛", fields: ["lat"], days: 1).issues(for: lamps).map(\.code.rawValue) == [
                "key_required"
            ], "the record key is granted, or the page cursor would tell it")
        let bad = AccessTerms(
            purpose: "  ", fields: ["code", "code", "owner_phone"], days: 366, ratePerMinute: 0, dailyQuota: 2_000_000)
        #expect(
            bad.issues(for: lamps).map { "\($0.field):\($0.code.rawValue)" } == [
                "purpose:required", "fields:duplicate_field", "fields:unknown_field", "days:invalid_value",
                "ratePerMinute:invalid_value", "dailyQuota:invalid_value",
            ])
    }

    @Test func theOwnerThenTheCentreApproveAndTheGrantLastsItsDays() throws {
        let applied = application(dataset(), days: 30)
        #expect(applied.awaiting == .owner && !applied.isActive(at: 5_000))
        #expect(
            AccessLifecycle.apply(.approve, to: applied, by: centre, note: nil, at: 6_000)
                == .failure(.notTheStage(.owner)))
        #expect(
            AccessLifecycle.apply(.approve, to: applied, by: colleague, note: nil, at: 6_000)
                == .failure(.notTheStage(.owner)))
        let agreed = try AccessLifecycle.apply(.approve, to: applied, by: owner, note: nil, at: 6_000).get()
        #expect(agreed.state == .pending && agreed.awaiting == .centre)
        // The owner's approver, were they the centre too, does not decide twice.
        let both = AccessLifecycle.Actor(id: "owner-handler", departmentId: nil, standing: [.owner, .centre])
        #expect(
            AccessLifecycle.apply(.approve, to: agreed, by: both, note: nil, at: 7_000) == .failure(.ownApplication))
        let approved = try AccessLifecycle.apply(.approve, to: agreed, by: centre, note: nil, at: 7_000).get()
        #expect(approved.state == .approved && approved.approvedAt == 7_000)
        let expiry: Int64 = 7_000 + 30 * 86_400_000
        #expect(approved.expiresAt == expiry)
        #expect(approved.isActive(at: expiry - 1) && !approved.isActive(at: expiry))
        #expect(approved.decisions.map(\.by) == ["owner-handler", "centre-admin"])
    }

    @Test func aConsumerNeverDecidesItsOwnApplication() {
        let applied = application(dataset(.unconditional))
        let consumerOwner = AccessLifecycle.Actor(id: "x", departmentId: "dep-consumer", standing: .owner)
        #expect(
            AccessLifecycle.apply(.approve, to: applied, by: consumerOwner, note: nil, at: 6_000)
                == .failure(.ownApplication))
        #expect(
            AccessLifecycle.apply(.reject, to: applied, by: owner, note: " ", at: 6_000)
                == .failure(.noteRequired(.reject)))
        let rejected = try? AccessLifecycle.apply(.reject, to: applied, by: owner, note: "用途不明", at: 6_000).get()
        #expect(rejected?.state == .rejected && rejected?.closingNote == "用途不明")
        #expect(AccessLifecycle.apply(.withdraw, to: applied, by: owner, note: nil, at: 6_000) == .failure(.notYours))
        let withdrawn = try? AccessLifecycle.apply(.withdraw, to: applied, by: colleague, note: nil, at: 6_000).get()
        #expect(withdrawn?.state == .withdrawn)
    }

    @Test func aGrantIsRevokedByItsOwnerWithAReasonOrGivenUp() throws {
        let approved = try AccessLifecycle.apply(
            .approve, to: application(dataset(.unconditional)), by: owner, note: nil, at: 6_000
        ).get()
        #expect(approved.state == .approved)
        #expect(
            AccessLifecycle.apply(.revoke, to: approved, by: owner, note: nil, at: 7_000)
                == .failure(.noteRequired(.revoke)))
        let outsider = AccessLifecycle.Actor(id: "y", departmentId: "dep-z", standing: [])
        #expect(AccessLifecycle.apply(.revoke, to: approved, by: outsider, note: "x", at: 7_000) == .failure(.notYours))
        #expect(
            try AccessLifecycle.apply(.revoke, to: approved, by: colleague, note: nil, at: 7_000).get().state
                == .revoked)
        let revoked = try AccessLifecycle.apply(.revoke, to: approved, by: centre, note: "超范围使用", at: 7_000).get()
        #expect(revoked.state == .revoked && !revoked.isActive(at: 7_000))
    }

    @Test func theMetersWindowsInTheCitysDay() {
        // 2026-12-05 15:59:30 UTC is 23:59:30 in Beijing: the day ends in 30 s, the minute too.
        let meter = AccessMeter(at: 1_796_486_370_000, utcOffsetMinutes: 480)
        #expect(meter.minute == 1_796_486_340_000 && meter.minuteLeft == 30_000)
        #expect(meter.day == 20_792 && meter.dayLeft == 30_000)
        let next = AccessMeter(at: 1_796_486_400_000, utcOffsetMinutes: 480)
        #expect(next.day == 20_793 && next.dayLeft == 86_400_000)
    }

    /// Whatever anyone does in whatever order: an application is approved only after every stage
    /// approved, each by a different person who is not its consumer; ended states stay ended; a
    /// refused action changes nothing.
    @Test func lawsForEverySequence() {
        var random = SplitMix64(seed: 7_019)
        let actors: [AccessLifecycle.Actor] = [
            owner, centre, colleague,
            .init(id: "applicant", departmentId: "dep-consumer", standing: []),
            .init(id: "both", departmentId: nil, standing: [.owner, .centre]),
            .init(id: "owner-2", departmentId: "dep-owner", standing: .owner),
        ]
        for round in 0..<400 {
            var current = application(dataset(round % 2 == 0 ? .conditional : .unconditional))
            for step in 0..<20 {
                let action = AccessAction.allCases[Int(random.next() % UInt64(AccessAction.allCases.count))]
                let actor = actors[Int(random.next() % UInt64(actors.count))]
                let note: String? = random.next() % 2 == 0 ? "因为" : nil
                switch AccessLifecycle.apply(action, to: current, by: actor, note: note, at: Int64(10_000 + step)) {
                case .failure:
                    continue
                case .success(let next):
                    #expect(![.rejected, .withdrawn, .revoked].contains(current.state), "ended states stay ended")
                    if next.state == .approved, current.state == .pending {
                        let approvers = next.decisions.filter { $0.action == .approve }
                        #expect(approvers.map(\.stage) == next.stages.map { Optional($0) })
                        #expect(Set(approvers.map(\.by)).count == approvers.count)
                        #expect(!approvers.contains { $0.by == "applicant" || $0.by == "colleague" })
                        #expect(next.expiresAt == next.approvedAt.map { $0 + 30 * 86_400_000 })
                    }
                    #expect(next.decisions.count == current.decisions.count + 1)
                    current = next
                }
            }
        }
    }
}
