"""`parrhesia backup` while the site writes, then `parrhesia restore` into a fresh site: the
restored record verifies, its next checkpoint extends the last one signed before the backup, and
its signing key is the same (SQLite, or PostgreSQL when DATABASE_URL names one).

The sites are separate processes with their own data folder and database, as servers are."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from parrhesia.cli import CommandError, main
from parrhesia.cli.backup import FORMAT, MANIFEST, archive_read, archive_write
from parrhesia.methods.record import checkpoint as notes
from parrhesia.methods.record import merkle

REPO = Path(__file__).resolve().parent.parent
DRIVER = REPO / "tests" / "backup_site.py"
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
SLUG = "riverside"


@dataclass
class Site:
    env: dict[str, str]
    data_dir: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "parrhesia", *args], env=self.env,
                              cwd=self.data_dir, capture_output=True, text=True, timeout=600)

    def ok(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, str(DRIVER), *args], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def op(self, *args: str) -> dict:
        done = subprocess.run([sys.executable, str(DRIVER), *args], env=self.env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def _postgres_database(name: str, *, drop: bool = False) -> str:
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as connection:
        statement = f'DROP DATABASE IF EXISTS "{name}"' if drop else f'CREATE DATABASE "{name}"'
        connection.execute(statement)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two empty sites: the one backed up and the one restored into."""
    made, names = [], []
    for role in ("source", "restored"):
        data_dir = tmp_path_factory.mktemp(role)
        env = {k: v for k, v in os.environ.items() if k not in ("PARRHESIA_TESTING",)}
        env.update(PARRHESIA_DATA_DIR=str(data_dir), PARRHESIA_SITE_NAME="backup.example.org",
                   PYTHONPATH=str(REPO))
        env.pop("PARRHESIA_SECRET_KEY", None)
        if POSTGRES:
            name = f"backup_{role}_{uuid.uuid4().hex[:8]}"
            env["DATABASE_URL"] = _postgres_database(name)
            names.append(name)
        else:
            env.pop("DATABASE_URL", None)
        made.append(Site(env, data_dir))
    yield made
    for name in names:
        _postgres_database(name, drop=True)


@pytest.fixture(scope="module")
def backed_up(sites):
    """The source site: 20 entries and a checkpoint, then a backup taken while a writer appends."""
    source, _ = sites
    source.ok("migrate")
    source.op("found", SLUG)
    source.op("append", SLUG, "20")
    before = source.op("checkpoint", SLUG)
    writer = source.start("append", SLUG, "40", "0.01")
    archive = source.data_dir / "site.tar"
    done = source.ok("backup", "--out", str(archive))
    assert writer.wait(timeout=300) == 0, writer.stderr.read() if writer.stderr else ""
    source.op("append", SLUG, "7")  # after the backup: not in it
    return {"before": before, "archive": archive, "stderr": done.stderr,
            "manifest": json.loads(tarfile.open(archive).extractfile(MANIFEST).read())}


def test_the_backup_is_one_private_file_that_describes_itself(backed_up):
    archive, manifest = backed_up["archive"], backed_up["manifest"]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds the signing keys
    assert manifest["format"] == FORMAT
    assert manifest["database"]["vendor"] == ("postgresql" if POSTGRES else "sqlite")
    assert set(manifest["files"]) >= {manifest["database"]["file"], f"keys/{SLUG}.key"}
    head = manifest["record"][SLUG]
    assert 20 + 1 <= head["size"] <= 20 + 1 + 40  # the founding entry, the 20, some of the 40
    assert head["checkpoint"]["size"] >= backed_up["before"]["size"]
    assert "Copying the" in backed_up["stderr"]  # progress goes to standard error


def test_the_restored_site_verifies_and_extends_the_last_checkpoint_before_the_backup(
    sites, backed_up, tmp_path
):
    source, restored = sites
    before, manifest = backed_up["before"], backed_up["manifest"]
    done = restored.ok("restore", str(backed_up["archive"]))
    assert "checkpoint signed" in done.stderr
    size = manifest["record"][SLUG]["size"]
    key_name = f"keys/{SLUG}.key"
    assert (restored.data_dir / key_name).read_bytes() == (source.data_dir / key_name).read_bytes()
    assert stat.S_IMODE((restored.data_dir / key_name).stat().st_mode) == 0o600

    export = tmp_path / "restored.jsonl"
    restored.ok("record", "export", SLUG, "--out", str(export))
    verified = restored.ok("record", "verify", str(export), "--key", before["verifier"])
    assert f"{size} entries" in verified.stdout

    # The restored site goes on: its next checkpoint is consistent with the one from before.
    restored.op("append", SLUG, "5")
    after = restored.op("checkpoint", SLUG)
    assert after["size"] == size + 5
    assert after["verifier"] == before["verifier"]
    notes.open_checkpoint(after["note"], before["verifier"])  # signed by the same key
    proof = restored.op("consistency", SLUG, str(before["size"]), str(after["size"]))
    merkle.verify_consistency(
        before["size"], after["size"], base64.b64decode(before["root"]),
        base64.b64decode(after["root"]), [base64.b64decode(h) for h in proof["proof"]],
    )
    # …and what it restored is exactly the source's record at the backup's size.
    source_size = source.op("checkpoint", SLUG)["size"]
    assert source_size > size
    assert (
        source.op("consistency", SLUG, str(size), str(source_size))["old_root"]
        == restored.op("consistency", SLUG, str(size), str(after["size"]))["old_root"]
    )


def test_restore_refuses_a_site_that_holds_organisations_unless_forced(sites, backed_up):
    source, _ = sites
    refused = source.run("restore", str(backed_up["archive"]))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "parrhesia: error: this site's database already holds organisations: restore into an "
        "empty one, or add --force to replace it (everything in it is lost)"
    )
    source.ok("restore", "--force", str(backed_up["archive"]))
    size = backed_up["manifest"]["record"][SLUG]["size"]
    assert source.op("checkpoint", SLUG)["size"] == size  # the 7 later entries are gone


def test_backup_never_overwrites_a_file(sites, backed_up):
    source, _ = sites
    refused = source.run("backup", "--out", str(backed_up["archive"]))
    assert refused.returncode == 1
    assert "already exists: choose another name with --out" in refused.stderr


# --- Damaged or foreign archives: refused before anything is touched (in this process) ------


def _archive(tmp_path: Path, *, vendor: str = "sqlite", fmt: str = FORMAT, body: bytes = b"db",
             claimed: bytes | None = None) -> Path:
    import hashlib

    member = tmp_path / "database"
    member.write_bytes(body)
    name = f"database/parrhesia.{'sqlite3' if vendor == 'sqlite' else 'pgdump'}"
    manifest = {
        "format": fmt, "created": "2026-12-01T00:00:00+00:00", "parrhesia_version": "0.1.0",
        "database": {"vendor": vendor, "file": name}, "migrations": {}, "record": {},
        "files": {name: {"sha256": hashlib.sha256(claimed or body).hexdigest(), "bytes": 2}},
    }
    out = tmp_path / f"backup-{uuid.uuid4().hex[:6]}.tar"
    archive_write(out, manifest, [(name, member)])
    return out


def test_a_damaged_member_is_refused_by_its_checksum(tmp_path):
    archive = _archive(tmp_path, body=b"db", claimed=b"other")
    with pytest.raises(CommandError, match="does not match its checksum: the file is damaged"):
        archive_read(archive, tmp_path / "scratch")


def test_a_cut_short_or_foreign_file_is_refused(tmp_path):
    whole = _archive(tmp_path, body=b"x" * 4000).read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(whole[:3000])
    with pytest.raises(CommandError, match="damaged or not a Parrhesia backup|incomplete"):
        archive_read(cut, tmp_path / "scratch")
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello")
    with pytest.raises(CommandError, match="is not a Parrhesia backup"):
        archive_read(foreign, tmp_path / "scratch")


def test_a_member_may_not_write_outside_the_restores_folder(tmp_path):
    archive = _archive(tmp_path)
    with tarfile.open(archive) as original:
        manifest = json.load(original.extractfile(MANIFEST))
    escaping = tmp_path / "escaping.tar"
    manifest["files"]["keys/../../evil"] = {"sha256": "0" * 64, "bytes": 2}
    archive_write(escaping, manifest, [("keys/../../evil", tmp_path / "database")])
    with pytest.raises(CommandError, match="unexpected member 'keys/../../evil'"):
        archive_read(escaping, tmp_path / "scratch")
    assert not (tmp_path / "evil").exists()


def test_a_backup_of_another_format_names_the_version_to_use(tmp_path):
    archive = _archive(tmp_path, fmt="parrhesia-backup/9")
    with pytest.raises(CommandError, match="restore it with the Parrhesia version that wrote it"):
        archive_read(archive, tmp_path / "scratch")


def test_a_backup_of_another_kind_of_database_is_refused(tmp_path, capsys):
    other = "sqlite" if POSTGRES else "postgresql"
    archive = _archive(tmp_path, vendor=other)
    assert main(["restore", str(archive)]) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"parrhesia: error: this backup holds a {other} database")
    assert f"restore it on a {other} site" in error
