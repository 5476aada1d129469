"""How ``parrhesia backup`` copies, and ``parrhesia restore`` replaces, each kind of database.

Both copies are consistent snapshots taken while the site keeps running:

* SQLite: the online backup API (``sqlite3.Connection.backup``) in a single step, which reads
  the whole database inside one read transaction; in WAL mode writers carry on meanwhile.
* PostgreSQL: ``pg_dump`` (custom format) of a snapshot exported by a REPEATABLE READ
  transaction (``pg_export_snapshot``), the same transaction in which the record heads of the
  manifest are read: the heads describe exactly the dump. A Django-level dump would need the
  whole database in one Python process and loses PostgreSQL's own types and sequences.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parrhesia.cli import CommandError

Heads = dict[str, dict[str, Any]]
# What the manifest says of each organisation's record: read in the snapshot itself.
HEADS_SQL = (
    "SELECT o.slug, h.size, c.size, c.root_hash FROM record_recordhead h"
    " JOIN orgs_organisation o ON o.id = h.organisation_id"
    " LEFT JOIN record_checkpoint c ON c.organisation_id = h.organisation_id AND c.size ="
    " (SELECT MAX(size) FROM record_checkpoint WHERE organisation_id = h.organisation_id)"
    " ORDER BY o.slug"
)


def heads_from_rows(rows: list[tuple[Any, ...]]) -> Heads:
    import base64

    heads: Heads = {}
    for slug, size, checkpoint_size, root in rows:
        checkpoint = None
        if checkpoint_size is not None:
            root_text = base64.b64encode(bytes(root)).decode()
            checkpoint = {"size": int(checkpoint_size), "root": root_text}
        heads[slug] = {"size": int(size), "checkpoint": checkpoint}
    return heads


class SqliteDatabase:
    vendor = "sqlite"
    file_name = "database/parrhesia.sqlite3"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.path = Path(settings["NAME"])

    def dump(self, target: Path) -> Heads:
        if not self.path.exists():
            raise CommandError(
                f"no database at {self.path}: check PARRHESIA_DATA_DIR (or PARRHESIA_SQLITE_PATH)"
            )
        source = sqlite3.connect(self.path, timeout=60)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)  # pages=-1: one step, one read transaction
            destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            rows = destination.execute(HEADS_SQL).fetchall()
        except sqlite3.Error as error:
            raise CommandError(f"cannot copy {self.path}: {error}") from None
        finally:
            destination.close()
            source.close()
        return heads_from_rows(rows)

    def is_empty(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return True
        with _closing(sqlite3.connect(self.path, timeout=20)) as connection:
            query = "SELECT 1 FROM sqlite_master WHERE name = 'orgs_organisation'"
            if not connection.execute(query).fetchall():
                return True
            (count,) = connection.execute("SELECT COUNT(*) FROM orgs_organisation").fetchone()
            return bool(count == 0)

    def restore(self, dump: Path) -> None:
        with _closing(sqlite3.connect(dump)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise CommandError(f"the backup's database fails SQLite's integrity check ({result})")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self.path.with_name(f".{self.path.name}.restore-{os.getpid()}")
        shutil.copyfile(dump, staged)
        os.chmod(staged, 0o600)
        # A write-ahead log left by the old database would be replayed into the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, self.path)


class PostgresDatabase:
    vendor = "postgresql"
    file_name = "database/parrhesia.pgdump"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        names = {
            "NAME": "PGDATABASE",
            "USER": "PGUSER",
            "PASSWORD": "PGPASSWORD",
            "HOST": "PGHOST",
            "PORT": "PGPORT",
        }
        for key, variable in names.items():
            if self.settings.get(key):
                environment[variable] = str(self.settings[key])
        sslmode = self.settings.get("OPTIONS", {}).get("sslmode")
        if sslmode:
            environment["PGSSLMODE"] = str(sslmode)
        return environment

    def dump(self, target: Path) -> Heads:
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute(HEADS_SQL)
            heads = heads_from_rows(cursor.fetchall())
            # The transaction stays open while pg_dump reads the snapshot it exported.
            self._run(
                "pg_dump",
                [
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                ],
            )
        return heads

    def is_empty(self) -> bool:
        from django.db import connection

        tables = connection.introspection.table_names()
        if "orgs_organisation" not in tables:
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orgs_organisation")
            return bool(cursor.fetchone()[0] == 0)

    def restore(self, dump: Path) -> None:
        from django.db import connection, connections

        tables = connection.introspection.table_names()
        if tables:  # only with --force, or tables of an empty site: dropped as a whole
            with connection.cursor() as cursor:
                quoted = ", ".join(connection.ops.quote_name(name) for name in tables)
                cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        connections.close_all()
        self._run(
            "pg_restore",
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={self.settings['NAME']}",
                str(dump),
            ],
        )

    def _run(self, program: str, arguments: list[str]) -> None:
        binary = postgres_program(program)
        environment = self._environment()
        if program == "pg_restore":
            environment.pop("PGDATABASE", None)
        done = subprocess.run(
            [binary, *arguments], env=environment, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise CommandError(f"{program} failed: {last}")


def postgres_program(name: str) -> str:
    """The newest installed ``pg_dump``/``pg_restore`` (a newer one reads older servers)."""
    configured = os.environ.get("PARRHESIA_PG_BIN")
    if configured:
        candidate = Path(configured) / name
        if not candidate.exists():
            raise CommandError(f"PARRHESIA_PG_BIN={configured}: no {name} there")
        return str(candidate)

    def version(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version, reverse=True)
    on_path = shutil.which(name)
    if found:
        return found[0]
    if on_path:
        return on_path
    raise CommandError(
        f"{name} is not installed: install PostgreSQL's client programs (Debian: apt-get install "
        f"postgresql-client), as new as the server, or set PARRHESIA_PG_BIN to their folder"
    )


def database_for(settings: dict[str, Any]) -> SqliteDatabase | PostgresDatabase:
    engine = settings["ENGINE"]
    if engine.endswith("sqlite3"):
        return SqliteDatabase(settings)
    if engine.endswith(("postgresql", "postgresql_psycopg2")):
        return PostgresDatabase(settings)
    raise CommandError(f"backups of a {engine} database are not supported (SQLite or PostgreSQL)")


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()
