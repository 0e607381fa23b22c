/// Each area's operating mode (平战结合): a row once an area has been switched; none is peacetime.
let m026AreaModes = Migration(
    version: 26, name: "area_modes",
    sql: [
        """
        CREATE TABLE area_modes (
            area_id TEXT PRIMARY KEY REFERENCES areas(id),
            area_path TEXT NOT NULL,
            area_name TEXT NOT NULL,
            mode TEXT NOT NULL,
            incident_id TEXT REFERENCES incidents(id),
            reason TEXT NOT NULL,
            switched_by TEXT NOT NULL,
            switched_at BIGINT NOT NULL)
        """
    ])
