"""Storage: SQLAlchemy 2 mappings, repositories and Alembic migrations.

Nothing here connects to a database at import time; call :func:`open_database`.
"""
