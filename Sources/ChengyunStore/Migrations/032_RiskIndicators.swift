/// Risk categories read indicator colours too (`indicator_max`: the gravest open warning of their
/// indicators for the cell's area or above). The shipped categories, where their rule is still the
/// shipped one, read the city's safety vital sign: a cell with a hazard source is at least yellow
/// while that sign is red.
let m032RiskIndicators = Migration(
    version: 32, name: "risk_indicators",
    sql: [
        "ALTER TABLE risk_categories ADD COLUMN indicator_codes TEXT",
        """
        UPDATE risk_categories SET indicator_codes = '["city.safe","city.safe.emergencies"]',
            rule = 'if(hazard_max >= 4 and (alarm_max >= 3 or cases >= 1), 4, if(alarm_max >= 4 or (hazard_max >= 3 and (alarms >= 1 or cases >= 1)), 3, if(hazard_max >= 3 or alarms >= 1 or cases >= 1 or (hazards >= 1 and indicator_max >= 4), 2, 1)))'
        WHERE code = 'gas' AND rule = 'if(hazard_max >= 4 and (alarm_max >= 3 or cases >= 1), 4, if(alarm_max >= 4 or (hazard_max >= 3 and (alarms >= 1 or cases >= 1)), 3, if(hazard_max >= 3 or alarms >= 1 or cases >= 1, 2, 1)))'
        """,
        """
        UPDATE risk_categories SET indicator_codes = '["city.safe","city.safe.emergencies"]',
            rule = 'if(cases >= 3 or (hazard_max >= 3 and cases >= 1 and alarms >= 1), 4, if(hazard_max >= 3 and (cases >= 1 or alarms >= 1), 3, if(cases >= 1 or hazard_max >= 3 or (hazards >= 1 and indicator_max >= 4), 2, 1)))'
        WHERE code = 'flood' AND rule = 'if(cases >= 3 or (hazard_max >= 3 and cases >= 1 and alarms >= 1), 4, if(hazard_max >= 3 and (cases >= 1 or alarms >= 1), 3, if(cases >= 1 or hazard_max >= 3, 2, 1)))'
        """,
        """
        UPDATE risk_categories SET indicator_codes = '["city.safe","city.safe.emergencies"]',
            rule = 'if(cases >= 1 and hazard_max >= 3, 4, if(cases >= 1 or hazard_max >= 4, 3, if(hazards >= 1 or (hazards >= 1 and indicator_max >= 4), 2, 1)))'
        WHERE code = 'fire_safety' AND rule = 'if(cases >= 1 and hazard_max >= 3, 4, if(cases >= 1 or hazard_max >= 4, 3, if(hazards >= 1, 2, 1)))'
        """,
        """
        UPDATE risk_categories SET indicator_codes = '["city.safe","city.safe.emergencies"]',
            rule = 'if(hazard_max >= 4 and alarm_max >= 3, 4, if(hazard_max >= 4 or alarm_max >= 4, 3, if(hazards >= 1 or alarms >= 1 or cases >= 1 or (hazards >= 1 and indicator_max >= 4), 2, 1)))'
        WHERE code = 'work_safety' AND rule = 'if(hazard_max >= 4 and alarm_max >= 3, 4, if(hazard_max >= 4 or alarm_max >= 4, 3, if(hazards >= 1 or alarms >= 1 or cases >= 1, 2, 1)))'
        """,
        """
        UPDATE risk_categories SET indicator_codes = '["city.safe","city.safe.emergencies"]',
            rule = 'if(hazard_max >= 3 and cases >= 1, 4, if(cases >= 1 and hazards >= 1, 3, if(hazards >= 1 or (hazards >= 1 and indicator_max >= 4), 2, 1)))'
        WHERE code = 'forest_fire' AND rule = 'if(hazard_max >= 3 and cases >= 1, 4, if(cases >= 1 and hazards >= 1, 3, if(hazards >= 1, 2, 1)))'
        """,
    ])
