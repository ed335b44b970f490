"""The imperative shell's storage: SQLAlchemy 2 tables, engines and Alembic migrations."""
