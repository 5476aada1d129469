"""``parrhesia backup`` and ``parrhesia restore``: the database and the signing keys, in one file.

A backup is taken while the site runs (a consistent snapshot of the database, see
``_databases``); it is one tar archive, written atomically with mode 0600 (it holds the
organisations' signing keys and the site's secret key), that holds:

* ``manifest.json`` — first: the format (``parrhesia-backup/1``), when, the database vendor,
  Parrhesia's version, the applied migrations, each organisation's record head and newest
  checkpoint in the snapshot, and the SHA-256 of every other member;
* ``database/parrhesia.sqlite3`` or ``database/parrhesia.pgdump`` (``pg_dump`` custom format);
* ``keys/…`` — every file of ``PARRHESIA_KEY_DIR`` (current and rotated signing keys);
* ``secret_key`` — the site's generated secret key, when it lives in the data directory.

``restore`` checks the format and every checksum before it touches anything, refuses a database
that already holds an organisation (or a different signing key) unless ``--force``, then
applies the migrations of the installed version and signs a checkpoint over each restored
record, with the restored keys: the next checkpoint extends the last one before the backup.
Restore into the same kind of database (SQLite into SQLite, PostgreSQL into PostgreSQL).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from parrhesia.cli import CommandError, add_command, django_setup
from parrhesia.cli._databases import database_for

FORMAT = "parrhesia-backup/1"
MANIFEST = "manifest.json"
SECRET_KEY_FILE = "secret_key"
# The only names a backup's members may have: nothing is ever written outside the restore's folder.
MEMBER_NAME = re.compile(
    r"database/parrhesia\.(sqlite3|pgdump)|keys/[A-Za-z0-9_-][A-Za-z0-9._-]*|secret_key"
)


def register(subparsers: Any) -> None:
    backup = add_command(
        subparsers,
        "backup",
        backup_command,
        help="write the database and the signing keys to one file, while the site runs",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )
    backup.add_argument(
        "--out",
        metavar="FILE",
        help="the archive to write (default: parrhesia-backup-<UTC time>.tar in the current "
        "folder); never overwritten",
    )
    restore = add_command(
        subparsers,
        "restore",
        restore_command,
        help="restore a backup into this site's (empty) database and key folder",
        description="Stop the site's servers and workers first. Checks the archive, restores the "
        "database and the signing keys, applies migrations and signs each record's checkpoint.",
    )
    restore.add_argument("archive", metavar="FILE", help="a file written by 'parrhesia backup'")
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a database that holds organisations, and signing keys that differ",
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _key_files(key_dir: Path) -> list[Path]:
    if not key_dir.is_dir():
        return []
    return sorted(p for p in key_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def _migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _default_out() -> Path:
    return Path(f"parrhesia-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar")


def backup_command(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings

    from parrhesia import __version__

    out = Path(args.out) if args.out else _default_out()
    if out.exists():
        raise CommandError(f"{out} already exists: choose another name with --out")
    if not out.parent.is_dir():
        raise CommandError(f"no folder {out.parent}: create it or choose another --out")
    database = database_for(settings.DATABASES["default"])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="parrhesia-backup-") as scratch:
        dump = Path(scratch) / "database"
        say(f"Copying the {database.vendor} database (a consistent snapshot)…")
        heads = _guarded(database.dump, dump)
        say(f"  {dump.stat().st_size / 1e6:.1f} MB, {len(heads)} organisation record(s)")
        members = [(database.file_name, dump)]
        key_dir = Path(settings.PARRHESIA_KEY_DIR)
        members += [(f"keys/{path.name}", path) for path in _key_files(key_dir)]
        secret = Path(settings.DATA_DIR) / SECRET_KEY_FILE
        if not os.environ.get("PARRHESIA_SECRET_KEY") and secret.is_file():
            members.append((SECRET_KEY_FILE, secret))
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "parrhesia_version": __version__,
            "database": {"vendor": database.vendor, "file": database.file_name},
            "migrations": _migrations(),
            "record": heads,
            "files": {
                name: {"sha256": _sha256(path), "bytes": path.stat().st_size}
                for name, path in members
            },
        }
        say(f"Writing {out}…")
        archive_write(out, manifest, members)
    size = out.stat().st_size
    say(f"Backup written: {out} ({size / 1e6:.1f} MB in {time.monotonic() - started:.1f} s)")
    print(out)
    return 0


def archive_write(out: Path, manifest: dict[str, Any], members: list[tuple[str, Path]]) -> None:
    """Write to a private temporary file beside ``out``, then rename it into place."""
    staged = out.with_name(f".{out.name}.{os.getpid()}.partial")
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as archive:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
                archive.addfile(info, io.BytesIO(data))
                for name, path in members:
                    info = archive.gettarinfo(str(path), arcname=name)
                    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                    with open(path, "rb") as source:
                        archive.addfile(info, source)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(staged, out)  # never replaces a file that appeared meanwhile
    except FileExistsError:
        raise CommandError(f"{out} already exists: choose another name with --out") from None
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    finally:
        staged.unlink(missing_ok=True)


def _manifest_check(manifest: Any, archive_name: str) -> dict[str, Any]:
    if not isinstance(manifest, dict) or not str(manifest.get("format", "")).startswith(
        "parrhesia-backup/"
    ):
        raise CommandError(f"{archive_name} is not a Parrhesia backup (no manifest)")
    if manifest["format"] != FORMAT:
        raise CommandError(
            f"{archive_name} is a {manifest['format']} backup; this version reads {FORMAT}: "
            "restore it with the Parrhesia version that wrote it"
        )
    database = manifest.get("database") or {}
    if database.get("file") not in manifest.get("files", {}):
        raise CommandError(
            f"{archive_name}: its manifest names no database: use an untouched backup file"
        )
    return manifest


def archive_read(path: Path, scratch: Path) -> dict[str, Any]:
    """The manifest, with every member extracted into ``scratch`` and its checksum checked."""
    try:
        archive = tarfile.open(path, mode="r:")
    except FileNotFoundError:
        raise CommandError(f"no file {path}") from None
    except (tarfile.TarError, OSError) as error:
        raise CommandError(f"{path} is not a Parrhesia backup ({error})") from None
    with archive:
        try:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise CommandError(f"{path} is not a Parrhesia backup (no manifest)")
            manifest = _manifest_check(json.load(_extracted(archive, first)), str(path))
            files: dict[str, Any] = manifest["files"]
            seen = set()
            while (member := archive.next()) is not None:
                name = member.name
                if (
                    name not in files
                    or not member.isfile()
                    or name in seen
                    or ".." in name
                    or not MEMBER_NAME.fullmatch(name)
                ):
                    raise CommandError(
                        f"{path}: unexpected member {member.name!r} (not a "
                        "backup's, or altered): use an untouched backup file"
                    )
                seen.add(member.name)
                target = scratch / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = _copy_hashing(_extracted(archive, member), target)
                if digest != files[member.name]["sha256"]:
                    raise CommandError(
                        f"{path}: {member.name} does not match its checksum: the "
                        "file is damaged; use another copy of the backup"
                    )
        except (tarfile.TarError, EOFError, ValueError, KeyError) as error:
            raise CommandError(f"{path} is damaged or not a Parrhesia backup ({error})") from None
    missing = set(files) - seen
    if missing:
        raise CommandError(
            f"{path} is incomplete (missing {sorted(missing)[0]}): the file was "
            "cut short; use another copy of the backup"
        )
    return manifest


def _extracted(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = archive.extractfile(member)
    if handle is None:
        raise CommandError(f"{member.name} is not a file")
    return handle


def _copy_hashing(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def restore_command(args: argparse.Namespace) -> int:
    django_setup()
    from django.conf import settings

    archive = Path(args.archive)
    database = database_for(settings.DATABASES["default"])
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as scratch_name:
        scratch = Path(scratch_name)
        say(f"Checking {archive}…")
        manifest = archive_read(archive, scratch)
        vendor = manifest["database"]["vendor"]
        if vendor != database.vendor:
            raise CommandError(
                f"this backup holds a {vendor} database and this site uses {database.vendor}: "
                f"restore it on a {vendor} site (DATABASE_URL / PARRHESIA_DATA_DIR)"
            )
        _migrations_check(manifest)
        key_dir = Path(settings.PARRHESIA_KEY_DIR)
        keys = sorted(name for name in manifest["files"] if name.startswith("keys/"))
        _refuse_overwrite(database, key_dir, scratch, keys, force=args.force)
        say(f"Restoring the {vendor} database…")
        _guarded(database.restore, scratch / manifest["database"]["file"])
        _files_restore(scratch, keys, key_dir, data_dir, manifest)
    say("Applying migrations and signing each record's checkpoint…")
    signed = _after_restore()
    for slug, size in signed:
        was = manifest["record"].get(slug, {}).get("size")
        say(f"  {slug}: {size} record entries (backup: {was}), checkpoint signed")
    say(f"Restored {archive} (taken {manifest['created']}); start the site with 'parrhesia serve'")
    return 0


def _guarded(step: Any, path: Path) -> Any:
    """A database step whose failure (unreachable, unwritable) is one line, not a traceback."""
    from django.db.utils import DatabaseError

    try:
        return step(path)
    except DatabaseError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CommandError(
            f"the database failed ({first}); check DATABASE_URL or PARRHESIA_DATA_DIR"
        ) from None
    except OSError as error:
        raise CommandError(f"cannot write {error.filename or path}: {error.strerror}") from None


def _migrations_check(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, names in manifest.get("migrations", {}).items():
        for name in names:
            if (app, name) not in known:
                raise CommandError(
                    f"the backup has migration {app}.{name} that this Parrhesia does not know: "
                    f"install Parrhesia {manifest['parrhesia_version']} or newer, then restore"
                )


def _refuse_overwrite(
    database: Any, key_dir: Path, scratch: Path, keys: list[str], *, force: bool
) -> None:
    if force:
        return
    from django.db.utils import OperationalError

    try:
        empty = database.is_empty()
    except OperationalError as error:
        raise CommandError(f"cannot reach the database ({error}); check DATABASE_URL") from None
    if not empty:
        raise CommandError(
            "this site's database already holds organisations: restore into an empty one, or "
            "add --force to replace it (everything in it is lost)"
        )
    for name in keys:
        existing = key_dir / Path(name).name
        if existing.exists() and existing.read_bytes() != (scratch / name).read_bytes():
            raise CommandError(
                f"{existing} holds a different signing key: move it away, or add --force to "
                "replace it"
            )


def _files_restore(
    scratch: Path, keys: list[str], key_dir: Path, data_dir: Path, manifest: dict[str, Any]
) -> None:
    key_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in keys:
        os.replace(scratch / name, key_dir / Path(name).name)
    if SECRET_KEY_FILE in manifest["files"]:
        if os.environ.get("PARRHESIA_SECRET_KEY"):
            say("  (the backup's secret key is not restored: PARRHESIA_SECRET_KEY is set)")
        else:
            os.replace(scratch / SECRET_KEY_FILE, data_dir / SECRET_KEY_FILE)
    say(f"  {len(keys)} signing key file(s) restored into {key_dir}")


def _after_restore() -> list[tuple[str, int]]:
    """Migrate, then sign each record's checkpoint with the restored key.

    Tasks the snapshot caught mid-run would stay 'running' for ever: they are made ready again,
    and the record heads' "a signing task is queued" flags cleared, since this signs them now.
    """
    from django.db import connections

    from parrhesia.cli.server import database_prepare

    connections.close_all()
    database_prepare(verbose=False)
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from parrhesia.record.checkpoints import SigningKeyMissing, checkpoint_sign
    from parrhesia.record.models import RecordHead

    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    signed = []
    for head in RecordHead.objects.select_related("organisation").order_by("organisation__slug"):
        try:
            checkpoint = checkpoint_sign(head.organisation)
        except SigningKeyMissing as error:
            raise CommandError(f"restored, but {error}") from None
        RecordHead.objects.filter(pk=head.pk, size=head.size).update(checkpoint_queued=False)
        signed.append((head.organisation.slug, checkpoint.size if checkpoint else 0))
    return signed
