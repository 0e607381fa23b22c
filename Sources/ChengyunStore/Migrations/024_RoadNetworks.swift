/// Road networks for nearest dispatch by travel time: each load a row with its file; the latest
/// is the one in use.
let m024RoadNetworks = Migration(
    version: 24, name: "road_networks",
    sql: [
        """
        CREATE TABLE road_networks (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            document TEXT NOT NULL,
            roads BIGINT NOT NULL,
            vertices BIGINT NOT NULL,
            loaded_by TEXT NOT NULL,
            loaded_at BIGINT NOT NULL)
        """
    ])
