/// A resource's team (队伍: the vehicles and equipment a team takes out move with it) and its
/// tracker (a vehicle terminal whose positions become the resource's); a risk category's incident
/// type (an incident opened from one of its red cells takes it), set for the shipped categories.
let m028ResourceTeamsAndTrackers = Migration(
    version: 28, name: "resource_teams_and_trackers",
    sql: [
        "ALTER TABLE emergency_resources ADD COLUMN team_id TEXT REFERENCES emergency_resources(id)",
        "CREATE INDEX emergency_resources_team ON emergency_resources(team_id)",
        "ALTER TABLE emergency_resources ADD COLUMN tracker_device_id TEXT REFERENCES devices(id)",
        "CREATE INDEX emergency_resources_tracker ON emergency_resources(tracker_device_id)",
        "ALTER TABLE risk_categories ADD COLUMN incident_type TEXT",
        "UPDATE risk_categories SET incident_type = 'gas_leak' WHERE code = 'gas'",
        "UPDATE risk_categories SET incident_type = 'urban_flood' WHERE code = 'flood'",
        "UPDATE risk_categories SET incident_type = 'fire' WHERE code = 'fire_safety'",
        "UPDATE risk_categories SET incident_type = 'work_safety' WHERE code = 'work_safety'",
        "UPDATE risk_categories SET incident_type = 'forest_fire' WHERE code = 'forest_fire'",
    ])
