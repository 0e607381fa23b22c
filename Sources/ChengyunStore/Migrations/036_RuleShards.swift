import ChengyunCore

/// Rules judged on every node (`RuleShards`): one lease row per shard, and the queue a node puts
/// another node's readings in — acknowledged once that row is committed, judged and stored by the
/// shard's owner, which deletes the row in the same transaction; a row it cannot judge is set aside.
let m036RuleShards = Migration(
    version: 36, name: "rule_shards",
    statements: { backend in
        let seq = Migration.sequenceColumn(backend)
        let shards = (0..<RuleShards.count).map { "(\($0), '', 0, 0)" }.joined(separator: ", ")
        return [
            """
            CREATE TABLE rule_shards (
                shard INTEGER PRIMARY KEY,
                node_id TEXT NOT NULL,
                epoch BIGINT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            "INSERT INTO rule_shards (shard, node_id, epoch, expires_at) VALUES \(shards)",
            """
            CREATE TABLE telemetry_inbox (
                \(seq),
                shard INTEGER NOT NULL,
                actor TEXT NOT NULL,
                readings TEXT NOT NULL,
                trace TEXT,
                received_at BIGINT NOT NULL)
            """,
            "CREATE INDEX telemetry_inbox_shard ON telemetry_inbox(shard, seq)",
            // Rows that could not be judged (unreadable, or failing again and again), kept for the operator.
            """
            CREATE TABLE telemetry_inbox_dead (
                seq BIGINT PRIMARY KEY,
                shard INTEGER NOT NULL,
                actor TEXT NOT NULL,
                readings TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                failed_at BIGINT NOT NULL,
                reason TEXT NOT NULL)
            """,
        ]
    })
