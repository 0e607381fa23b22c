/// Supervision orders on an emergency incident's task (automatic ones, from the sweep).
let m025SupervisedIncidentTasks = Migration(
    version: 25, name: "supervised_incident_tasks",
    sql: [
        "ALTER TABLE supervision_orders ADD COLUMN incident_task_id TEXT REFERENCES incident_tasks(id)",
        "CREATE INDEX supervision_orders_incident_task ON supervision_orders(incident_task_id, issued_at)",
    ])
