/// Several server processes on one database (a city on PostgreSQL): the leader's lease epoch
/// (the fence every singleton write checks), the nodes and their heartbeats, one row per claimed
/// tick of a scheduled job (so a tick runs once, even across a failover), the probe runs that let
/// an operator check that claim, and the event outbox every node's live streams read.
let m033Cluster = Migration(
    version: 33, name: "cluster",
    statements: { backend in
        let seq = Migration.sequenceColumn(backend)
        return [
            """
            CREATE TABLE cluster_leader (
                id INTEGER PRIMARY KEY,
                epoch BIGINT NOT NULL,
                node_id TEXT NOT NULL,
                since BIGINT NOT NULL)
            """,
            "INSERT INTO cluster_leader (id, epoch, node_id, since) VALUES (1, 0, '', 0)",
            """
            CREATE TABLE cluster_nodes (
                node_id TEXT PRIMARY KEY,
                address TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                seen_at BIGINT NOT NULL,
                event_seq BIGINT NOT NULL,
                ready BOOLEAN NOT NULL)
            """,
            """
            CREATE TABLE job_ticks (
                job TEXT NOT NULL,
                tick BIGINT NOT NULL,
                node_id TEXT NOT NULL,
                epoch BIGINT NOT NULL,
                claimed_at BIGINT NOT NULL,
                done_at BIGINT,
                PRIMARY KEY (job, tick))
            """,
            "CREATE INDEX job_ticks_claimed ON job_ticks(claimed_at)",
            """
            CREATE TABLE cluster_probe_runs (
                tick BIGINT NOT NULL,
                node_id TEXT NOT NULL,
                epoch BIGINT NOT NULL,
                at BIGINT NOT NULL)
            """,
            "CREATE INDEX cluster_probe_runs_tick ON cluster_probe_runs(tick)",
            """
            CREATE TABLE event_outbox (
                \(seq),
                name TEXT NOT NULL,
                area_path TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX event_outbox_created ON event_outbox(created_at)",
        ]
    })
