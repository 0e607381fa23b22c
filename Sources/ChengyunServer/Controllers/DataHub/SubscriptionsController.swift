import ChengyunCore
import ChengyunStore
import Hummingbird

/// Subscriptions (订阅) to a dataset's changes and to platform events, delivered by signed
/// webhook or pulled by cursor, with the delivery log, the dead letters and replay.
struct SubscriptionsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        let service = platform.subscriptions
        routes.on(
            .post, "subscriptions", .allStaff,
            RouteDoc(
                "Subscribe to a dataset the caller may read (topic dataset: each new version and its counts; records: each record a load writes, from a cursor) or to platform events in the caller's area (alarm, warning, incident). With a url, each change is POSTed as JSON with X-Chengyun-Delivery (its id, the same through every retry and replay), X-Chengyun-Topic and X-Chengyun-Signature (t=<epoch ms>,v1=<hex HMAC-SHA-256 of \"<t>.<body>\" under the secret, shown once here); a 2xx answer delivers it, otherwise it is tried again after 1 s, 2 s, 4 s … at most 5 minutes apart, 20 times, then it is dead. With batchSize n (2–500) up to n of the subscription's due deliveries go in one POST, {\"deliveries\":[{\"id\",\"topic\",\"change\"}…]} in order, with X-Chengyun-Batch (their count) instead of X-Chengyun-Delivery, signed alike, the answer counting for each. Without a url the deliveries wait to be read by cursor.",
                .datahub, body: .json(SubscriptionInput.self), status: 201,
                answers: [
                    .problem(403, "not_shared_with_you: the dataset is not the caller's to read"),
                    .problem(
                        409,
                        "platform_dataset: the platform's own data is read through its own API; too_many_subscriptions: at most 50 active each"
                    ),
                ])
        ) { request, context, principal in
            let input = try await request.decodeStrict(SubscriptionInput.self, context: context)
            return JSONBody(try await service.subscribe(input, by: principal), status: .created)
        }
        routes.on(
            .get, "subscriptions", .allStaff,
            RouteDoc("The caller's subscriptions", .datahub, parameters: [.cursor, .limit])
        ) { request, _, principal in
            JSONBody(try await service.list(page: try request.pageRequest(), by: principal))
        }
        routes.on(
            .get, "subscriptions/{id}", .allStaff,
            RouteDoc("One of the caller's subscriptions", .datahub, alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await service.subscription(id: try context.id(), by: principal))
        }
        routes.on(
            .delete, "subscriptions/{id}", .allStaff,
            RouteDoc(
                "Cancel a subscription (its deliveries stay readable; those not yet sent go dead)", .datahub,
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            JSONBody(try await service.cancel(id: try context.id(), by: principal))
        }
        routes.on(
            .get, "subscriptions/{id}/deliveries", .allStaff,
            RouteDoc(
                "The delivery log, oldest first: a pulled subscription's feed (keep nextCursor and ask again), state=dead the dead-letter list; order=newest for the newest first, the cursor leading on to older ones. A pulled record feed reads its dataset's changes after the cursor (none: after where it began), each record as the owner may read it now, a read of the dataset each page",
                .datahub,
                parameters: [
                    .query("state", .named(DeliveryState.self)), .query("order", .named(ListOrder.self)), .cursor,
                    .limit,
                ],
                answers: [
                    .problem(
                        409,
                        "changes_pruned: a pulled record feed's changes after the cursor were pruned past their retention (the message and nextCursor name the cursor after them); subscription_cancelled: a cancelled record feed is read no more"
                    ),
                    .problem(
                        429, "rate_limited, quota_exhausted: a pulled record feed read by a grant (see Retry-After)"),
                ],
                alsoShared: [.validationFailed, .badRequest, .forbidden])
        ) { request, context, principal in
            var page = try request.pageRequest()
            page.order = try request.queryEnum("order", ListOrder.self) ?? .oldest
            return JSONBody(
                try await service.deliveries(
                    id: try context.id(), state: try request.queryEnum("state", DeliveryState.self), page: page,
                    by: principal))
        }
        routes.on(
            .post, "subscriptions/{id}/replay", .allStaff,
            RouteDoc(
                "Send again every webhook delivery made at or after from (epoch ms), the dead ones included, each under its own id",
                .datahub, body: .json(ReplayInput.self),
                answers: [.problem(409, "pulled_subscription: read it again by cursor")])
        ) { request, context, principal in
            let input = try await request.decodeStrict(ReplayInput.self, context: context)
            return JSONBody(
                ReplayAnswer(requeued: try await service.replay(id: try context.id(), from: input.from, by: principal)))
        }
        return routes
    }
}

/// Where a replay starts.
struct ReplayInput: StrictInput {
    var from: Int64
    enum Fields: String, CodingKey, CaseIterable { case from }
}

struct ReplayAnswer: Encodable, Sendable {
    var requeued: Int
}
