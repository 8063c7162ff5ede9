"""The throw-away PostgreSQL database each benchmark fills, measures and drops."""

import re

import psycopg2


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    """Drop ``name`` on ``server`` (a URL without a database) and, unless ``drop_only``, create it empty."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing database name {name!r}")
    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            cursor.execute(f"CREATE DATABASE {name}")
    conn.close()
