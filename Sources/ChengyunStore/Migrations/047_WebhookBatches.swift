/// How many deliveries a webhook subscription takes in one POST (`WebhookBatch`); 1 for every
/// subscription made before, which keeps one delivery a request.
let m047WebhookBatches = Migration(
    version: 47, name: "webhook_batches",
    statements: { _ in
        [
            "ALTER TABLE subscriptions ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 1 CHECK (batch_size BETWEEN 1 AND 500)"
        ]
    })
