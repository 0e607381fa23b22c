/// NGSI-LD subscriptions ride on `subscriptions` (topic `ngsi-ld`): what each asks for, its
/// entity selectors, watched attributes, query and notification, as JSON.
let m045ContextSubscriptions = Migration(
    version: 45, name: "context_subscriptions",
    statements: { _ in
        ["ALTER TABLE subscriptions ADD COLUMN criteria TEXT"]
    })
