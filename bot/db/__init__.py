"""Everything that speaks SQL: models, engine, query functions, migrations."""
