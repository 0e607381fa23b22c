/// Hazard sources spread over an area (a chemical park, a forest): their polygon, and the cells
/// each source lies in — its position's cell, and every cell its area overlaps — with the facts
/// the risk rules count (category, inherent rank) kept beside each, so a cell's facts are one scan.
let m031HazardAreas = Migration(
    version: 31, name: "hazard_areas",
    sql: [
        "ALTER TABLE hazard_sources ADD COLUMN area TEXT",
        """
        CREATE TABLE hazard_cells (
            hazard_id TEXT NOT NULL REFERENCES hazard_sources(id),
            grid_cell_id TEXT NOT NULL REFERENCES grid_cells(id),
            category TEXT NOT NULL,
            inherent_rank BIGINT NOT NULL,
            PRIMARY KEY (grid_cell_id, hazard_id))
        """,
        "CREATE INDEX hazard_cells_category ON hazard_cells(category, grid_cell_id)",
        """
        INSERT INTO hazard_cells (hazard_id, grid_cell_id, category, inherent_rank)
        SELECT id, grid_cell_id, category, inherent_rank FROM hazard_sources
        """,
    ])
