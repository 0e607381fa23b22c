/// Depots' stock of materials, and every move of it (restocked, issued to an incident, given back).
let m030DepotStock = Migration(
    version: 30, name: "depot_stock",
    sql: [
        """
        CREATE TABLE depot_stock (
            depot_id TEXT NOT NULL REFERENCES emergency_resources(id),
            material TEXT NOT NULL,
            unit TEXT NOT NULL,
            quantity DOUBLE PRECISION NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (depot_id, material))
        """,
        """
        CREATE TABLE stock_moves (
            id TEXT PRIMARY KEY,
            depot_id TEXT NOT NULL REFERENCES emergency_resources(id),
            material TEXT NOT NULL,
            move TEXT NOT NULL,
            quantity DOUBLE PRECISION NOT NULL,
            incident_id TEXT REFERENCES incidents(id),
            actor_id TEXT NOT NULL,
            at BIGINT NOT NULL)
        """,
        "CREATE INDEX stock_moves_incident ON stock_moves(incident_id, depot_id, material)",
    ])
