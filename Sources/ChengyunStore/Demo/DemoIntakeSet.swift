import Foundation
import ChengyunCore

/// A labelled set of reports for measuring the intake checks (docs/domain.md §3, "duplicates and
/// invalid reports"), drawn in the demo city: problems at street corners reported by hotline
/// callers, some reported again by others (in their own words, often under a related matter),
/// other problems close by that are not the same, and reports an operator would find invalid.
/// Each report carries its label: which problem it is and which flags it should raise.
public struct DemoIntakeSet: Sendable {
    public struct Item: Sendable {
        public var report: NewReport
        public var at: Int64
        /// The problem the report is about; repeats share their original's.
        public var problem: Int
        /// Whether an open report of the same problem came before this one.
        public var isRepeat: Bool
        public var expectedFlags: Set<IntakeFlag.Code>
        /// Cancel the case once filed (to give its reporter a refused history).
        public var cancelAfter: Bool = false
    }

    /// One kind of street problem: the matters a reporter may file it under (the first is the
    /// usual) and the ways people describe it.
    struct Scene {
        var matters: [String]
        var phrasings: [String]
        var plate = false
    }

    static let scenes: [Scene] = [
        Scene(
            matters: ["E0102", "C0305", "E0103"],
            phrasings: [
                "垃圾桶满了，垃圾溢出来撒了一地", "果皮箱满溢，周边散落很多垃圾", "路口垃圾箱塞满了没人清运，垃圾堆在桶边",
                "垃圾桶旁边堆着好几袋生活垃圾发臭", "路边暴露垃圾没人收，桶也满了",
            ]),
        Scene(
            matters: ["C0305"],
            phrasings: ["果皮箱被车撞坏倒在路边", "垃圾箱的盖子坏了掉在地上", "路边果皮箱破损生锈，箱体开裂"]),
        Scene(
            matters: ["E0111", "E0404"],
            phrasings: [
                "下雨后路面积水很深，车辆难行", "路口积水严重行人没法通过", "雨水排不出去，路上一大片积水",
                "下水道堵了，路面积水一直不退",
            ]),
        Scene(
            matters: ["E0501", "E0504"],
            phrasings: [
                "路边有流动摊贩卖水果占道", "小商贩推车在人行道上摆摊卖菜", "流动摊点占用人行道，行人只能走机动车道",
            ]),
        Scene(
            matters: ["E0510", "E0504"],
            phrasings: ["晚上有人露天烧烤，油烟很大", "烧烤摊摆到店门外，烟熏得窗户都不能开", "店家在门口露天烧烤到半夜"]),
        Scene(
            matters: ["E0505"],
            phrasings: ["一辆轿车停在人行道上挡住通行", "有辆小车长期占用人行道停放", "机动车乱停在盲道上"], plate: true),
        Scene(
            matters: ["E0506"],
            phrasings: ["共享单车乱停堵住盲道", "一堆电动车停在人行道中间", "单车东倒西歪挡住路口"]),
        Scene(
            matters: ["E0302", "E0307"],
            phrasings: ["工地扬尘很大，没有洒水降尘", "施工工地尘土飞扬，也没有围挡", "工地不洒水，灰尘吹得到处都是"]),
        Scene(
            matters: ["E0201", "E0202"],
            phrasings: ["电线杆上贴满了小广告", "墙上被人乱贴办证小广告", "路灯杆上到处是牛皮癣广告"]),
        Scene(
            matters: ["E0306", "E0401"],
            phrasings: ["路面坑洼破损，车开过去很颠", "马路上有个大坑，沥青都碎了", "路面破了一个洞，晚上容易摔倒"]),
        Scene(
            matters: ["C0118", "C0116"],
            phrasings: ["这一段路灯晚上不亮", "路灯坏了好几天，晚上一片漆黑", "路灯一直闪，时亮时不亮"]),
    ]

    /// Texts that say nothing, and texts that repeat themselves.
    static let empty = ["测试", "111", "。。。", "test", "无", "垃圾"]
    static let repetitive = ["啊啊啊啊啊啊啊啊", "哈哈哈哈哈哈哈哈哈哈", "垃圾垃圾垃圾垃圾垃圾垃圾"]
    /// Matters the bench leaves without a department (their routing rules removed).
    public static let unrouted = ["C0121", "C0126"]

    public let items: [Item]

    /// `problems` problems over the month before `now`, at points inside `cells`; `matters` (the
    /// catalogue) gives the fields a matter requires, filled in as a caller would.
    public init(cells: [GridCell], matters: [Matter], problems: Int, now: Int64, seed: UInt64 = 25) {
        let byCode = Dictionary(matters.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        // In code order: the same seed gives the same set whatever order the cells were listed in
        // (by id, which differs from one demo city to the next).
        let cells = cells.sorted { $0.code < $1.code }
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
        func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
        var contacts = 0
        func contact() -> String {
            contacts += 1
            return "1350000" + String(1000 + contacts)
        }
        let hour: Int64 = 3_600_000
        let start = now - 30 * 24 * hour
        var items: [Item] = []
        func report(_ code: String, _ text: String, at point: GeoPoint, plate: String? = nil, caller: String)
            -> NewReport
        {
            var fields = plate.map { ["plate_number": $0] } ?? [:]
            for field in byCode[code]?.customFields ?? [] where field.required && !field.values.isEmpty {
                fields[field.key] = pick(field.values).key
            }
            return NewReport(
                matterCode: code, description: text, lon: point.lon, lat: point.lat,
                customFields: fields.isEmpty ? nil : fields, source: .hotline, reporterName: "市民",
                reporterContact: caller)
        }
        /// A point `metres` (at most) from `origin`, in a random direction.
        func near(_ origin: GeoPoint, within metres: Double) -> GeoPoint {
            let d = metres * Double(rng.next() % 1000) / 1000
            let angle = Double(rng.next() % 360) * .pi / 180
            return GeoPoint(
                lon: origin.lon + d * cos(angle) / (111_195 * cos(origin.lat * .pi / 180)),
                lat: origin.lat + d * sin(angle) / 111_195)
        }
        // Places already taken and when: two problems are never within 150 m of each other in
        // the same ten days (else the labels would call one problem two).
        var taken: [(point: GeoPoint, at: Int64)] = []
        func freePoint(at time: Int64) -> GeoPoint {
            var point = near(pick(cells).geometry.centroid, within: 60)
            for _ in 0..<50 {
                if !taken.contains(where: { abs($0.at - time) < 10 * 24 * hour && $0.point.distance(to: point) < 150 })
                {
                    break
                }
                point = near(pick(cells).geometry.centroid, within: 60)
            }
            taken.append((point, time))
            return point
        }
        for problem in 0..<problems {
            let scene = pick(Self.scenes)
            let at = start + Int64(rng.next() % UInt64(26 * 24)) * hour
            let point = freePoint(at: at)
            let plate = scene.plate ? "苏E" + String(10_000 + rng.next() % 89_999) : nil
            var phrasings = scene.phrasings
            let first = phrasings.remove(at: Int(rng.next() % UInt64(phrasings.count)))
            items.append(
                Item(
                    report: report(scene.matters[0], first, at: point, plate: plate, caller: contact()), at: at,
                    problem: problem, isRepeat: false, expectedFlags: []))
            // Others report the same problem in their own words, often under a related matter.
            if chance(60) {
                for _ in 0..<(1 + rng.next() % 2) {
                    let code =
                        scene.matters.count > 1 && chance(40)
                        ? pick(Array(scene.matters.dropFirst())) : scene.matters[0]
                    items.append(
                        Item(
                            report: report(
                                code, pick(phrasings), at: near(point, within: 35), plate: plate, caller: contact()),
                            at: at + (1 + Int64(rng.next() % 96)) * hour, problem: problem, isRepeat: true,
                            expectedFlags: []))
                }
            }
            // Another problem close by: another scene, or (parking) another car.
            if chance(50) {
                var other = pick(Self.scenes)
                var otherPlate: String? = nil
                if scene.plate && chance(50) {
                    other = scene
                    otherPlate = "苏E" + String(10_000 + rng.next() % 89_999)
                } else if other.matters[0] == scene.matters[0] {
                    other =
                        Self.scenes[(Self.scenes.firstIndex { $0.matters == other.matters }! + 3) % Self.scenes.count]
                }
                items.append(
                    Item(
                        report: report(
                            other.matters[0], pick(other.phrasings), at: near(point, within: 40),
                            plate: other.plate ? (otherPlate ?? "苏E" + String(10_000 + rng.next() % 89_999)) : nil,
                            caller: contact()),
                        at: at + (1 + Int64(rng.next() % 72)) * hour, problem: problems + problem, isRepeat: false,
                        expectedFlags: []))
            }
            // One report in ten is one an operator would set aside.
            if chance(10) {
                let later = at + Int64(rng.next() % 48) * hour
                let elsewhere = freePoint(at: later)
                switch rng.next() % 5 {
                case 0:
                    items.append(
                        Item(
                            report: report(scene.matters[0], pick(Self.empty), at: elsewhere, caller: contact()),
                            at: later, problem: -1, isRepeat: false, expectedFlags: [.emptyText]))
                case 1:
                    items.append(
                        Item(
                            report: report(scene.matters[0], pick(Self.repetitive), at: elsewhere, caller: contact()),
                            at: later, problem: -1, isRepeat: false, expectedFlags: [.repetitiveText]))
                case 2:
                    // The same caller sends the same words about two places.
                    let caller = contact(), text = "小区门口这件事一直没人管，赶紧派人来看看"
                    for (n, place) in [elsewhere, freePoint(at: later)].enumerated() {
                        items.append(
                            Item(
                                report: report(pick(Self.scenes).matters[0], text, at: place, caller: caller),
                                at: later + Int64(n) * 5 * hour, problem: -1, isRepeat: false,
                                expectedFlags: n == 0 ? [] : [.repeatedReport]))
                    }
                case 3:
                    // A caller whose two earlier reports were voided reports again.
                    let caller = contact()
                    for n in 0..<3 {
                        let scene = pick(Self.scenes)
                        items.append(
                            Item(
                                report: report(
                                    scene.matters[0], pick(scene.phrasings),
                                    at: freePoint(at: later + Int64(n) * 6 * hour),
                                    caller: caller),
                                at: later + Int64(n) * 6 * hour, problem: -1, isRepeat: false,
                                expectedFlags: n == 2 ? [.rejectedReporter] : [], cancelAfter: n < 2))
                    }
                default:
                    items.append(
                        Item(
                            report: report(pick(Self.unrouted), "报刊亭门窗损坏，玻璃碎了一地", at: elsewhere, caller: contact()),
                            at: later, problem: -1, isRepeat: false, expectedFlags: [.noDepartment]))
                }
            }
        }
        self.items = items.sorted { $0.at < $1.at }
    }
}
