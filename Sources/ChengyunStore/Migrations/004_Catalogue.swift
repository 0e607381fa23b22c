/// Major and minor categories of components and events.
let m004Catalogue = Migration(
    version: 4, name: "catalogue",
    sql: [
        """
        CREATE TABLE major_categories (
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            name_en TEXT NOT NULL,
            PRIMARY KEY (kind, code))
        """,
        """
        CREATE TABLE minor_categories (
            kind TEXT NOT NULL,
            major_code TEXT NOT NULL,
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            name_en TEXT NOT NULL,
            PRIMARY KEY (kind, major_code, code),
            FOREIGN KEY (kind, major_code) REFERENCES major_categories(kind, code))
        """,
    ])
