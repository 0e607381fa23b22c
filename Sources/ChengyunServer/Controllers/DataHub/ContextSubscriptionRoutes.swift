import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird

/// NGSI-LD subscriptions: each is one of the caller's subscriptions (topic `ngsi-ld`), listed in
/// 我的订阅 with its delivery log, dead letters and replay like any other.
struct ContextSubscriptionRoutes {
    let platform: Platform

    func add(to routes: RouteCollection<AppRequestContext>) {
        routes.on(
            .post, "subscriptions", .allStaff,
            RouteDoc(
                "NGSI-LD: subscribe to devices' state changes and alarms' changes (entities by type, id or idPattern; watchedAttributes; q), or every timeInterval seconds to the matching entities as they stand (devices' latest readings), notified by signed webhook to notification.endpoint.uri",
                .ngsiLD, body: .jsonLD("ContextSubscriptionDocument", list: false), status: 201,
                success: .ok(
                    .json("ContextSubscriptionCreated"),
                    "Created: its id (also in Location) and the webhook's signing secret, shown this once",
                    status: 201),
                answers: [
                    .problem(
                        400,
                        "invalid_subscription (members not supported here are refused, not ignored; an endpoint whose host is, or whose name stands for, a link-local or unspecified address)"
                    ),
                    .problem(409, "too_many_subscriptions"), .problem(413, "payload_too_large"),
                ])
        ) { request, context, principal in
            let criteria = try ContextSubscription.read(try await ContextBrokerController.body(request, context))
            let created = try await platform.subscriptions.subscribe(criteria, by: principal)
            let id = ContextSubscription.urnPrefix + created.subscription.id
            var response = ContextBrokerController.answer(
                JSONText.object([
                    ("id", JSONText.quoted(id)), ("signingSecret", JSONText.quoted(created.secret ?? "")),
                ]), ld: false, status: .created)
            response.headers[.location] = "/ngsi-ld/v1/subscriptions/\(id)"
            response.headers[HTTPField.Name("Link")!] = nil
            return response
        }
        routes.on(
            .get, "subscriptions", .allStaff,
            RouteDoc(
                "NGSI-LD: the caller's active NGSI-LD subscriptions", .ngsiLD,
                success: .ok(.jsonLD("ContextSubscriptionDocument", list: true), "The subscriptions"))
        ) { request, _, principal in
            let ld = ContextBrokerController.wantsLD(request)
            let found = try await platform.subscriptions.list(
                topic: .ngsiLD, state: .active, page: try PageRequest(cursor: nil, limit: "500"), by: principal)
            let documents = found.items.filter { $0.state == .active }.compactMap { subscription in
                subscription.criteria?.document(id: subscription.id, active: true, withContext: ld)
            }
            return ContextBrokerController.answer("[" + documents.joined(separator: ",") + "]", ld: ld)
        }
        routes.on(
            .get, "subscriptions/{id}", .allStaff,
            RouteDoc(
                "NGSI-LD: one of the caller's subscriptions", .ngsiLD,
                success: .ok(.jsonLD("ContextSubscriptionDocument", list: false), "The subscription"))
        ) { request, context, principal in
            let subscription = try await own(try context.id(), principal)
            let ld = ContextBrokerController.wantsLD(request)
            return ContextBrokerController.answer(
                subscription.criteria?.document(id: subscription.id, active: true, withContext: ld) ?? "{}", ld: ld)
        }
        routes.on(
            .delete, "subscriptions/{id}", .allStaff,
            RouteDoc(
                "NGSI-LD: end one of the caller's subscriptions (its deliveries stay in the log)", .ngsiLD,
                status: 204, success: .ok(nil, "Ended", status: 204))
        ) { _, context, principal in
            let subscription = try await own(try context.id(), principal)
            _ = try await platform.subscriptions.cancel(id: subscription.id, by: principal)
            return Response.noContent()
        }
    }

    /// An active NGSI-LD subscription of the caller's, by its URN; 404 for anything else.
    private func own(_ urn: String, _ principal: Principal) async throws -> Subscription {
        let id =
            urn.hasPrefix(ContextSubscription.urnPrefix)
            ? String(urn.dropFirst(ContextSubscription.urnPrefix.count)) : ""
        let subscription: Subscription
        do {
            subscription = try await platform.subscriptions.subscription(id: id, by: principal)
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("Subscription \(urn)")
        }
        guard !id.isEmpty, subscription.topic == .ngsiLD, subscription.state == .active else {
            throw DomainError.notFound("Subscription \(urn)")
        }
        return subscription
    }
}
