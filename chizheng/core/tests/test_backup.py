"""``chizheng backup`` and ``chizheng restore``: SQLite's online backup and pg_dump, a
confirmation before a database with data is overwritten, all-or-nothing restores, the
key warning, and a check that the keys in use open the restored personal data.

The PostgreSQL tests restore into a scratch database they create and drop, never into the
database the suite runs on.
"""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from chizheng.core import backup, crypto
from chizheng.core.backup import BackupError, Database
from chizheng.org.models import County

from .processes import CHIZHENG, fresh_env

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs in the PostgreSQL run of the suite"
)


def sqlite_db(path: Path, rows: list[str]) -> Database:
    """A small SQLite database shaped like ours: migration records and one table."""
    with closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE IF NOT EXISTS django_migrations (app TEXT, name TEXT)")
        con.execute("CREATE TABLE IF NOT EXISTS things (name TEXT)")
        con.execute("DELETE FROM things")
        con.executemany("INSERT INTO things VALUES (?)", [(r,) for r in rows])
        con.commit()
    return Database("sqlite", str(path))


def things(db: Database) -> list[str]:
    with closing(sqlite3.connect(db.name)) as con:
        return [r[0] for r in con.execute("SELECT name FROM things ORDER BY name")]


class TestSqlite:
    def test_backup_then_restore_over_changed_data(self, tmp_path: Path) -> None:
        db = sqlite_db(tmp_path / "live.sqlite3", ["a", "b"])
        out = backup.backup(db=db, out=tmp_path / "backups" / "one.sqlite3")
        assert out.stat().st_mode & 0o777 == 0o600  # personal data: the owner's only
        sqlite_db(tmp_path / "live.sqlite3", ["changed"])
        asked: list[str] = []

        def yes(question: str) -> bool:
            asked.append(question)
            return True

        result = backup.restore(db=db, file=out, confirm=yes)
        assert things(db) == ["a", "b"]
        assert result.replaced_tables == 2
        assert "已有数据（2 张表）" in asked[0] and "无法撤销" in asked[0]

    def test_a_no_leaves_the_database_as_it_was(self, tmp_path: Path) -> None:
        db = sqlite_db(tmp_path / "live.sqlite3", ["a"])
        out = backup.backup(db=db, out=tmp_path / "b.sqlite3")
        sqlite_db(tmp_path / "live.sqlite3", ["kept"])
        with pytest.raises(BackupError, match="已取消恢复，数据库未改动"):
            backup.restore(db=db, file=out, confirm=lambda q: False)
        assert things(db) == ["kept"]

    def test_an_empty_database_is_restored_without_asking(self, tmp_path: Path) -> None:
        source = sqlite_db(tmp_path / "live.sqlite3", ["a"])
        out = backup.backup(db=source, out=tmp_path / "b.sqlite3")
        target = Database("sqlite", str(tmp_path / "new" / "db.sqlite3"))

        def never(question: str) -> bool:
            raise AssertionError(f"asked: {question}")

        backup.restore(db=target, file=out, confirm=never)
        assert things(target) == ["a"]

    def test_a_backup_never_overwrites_a_file(self, tmp_path: Path) -> None:
        db = sqlite_db(tmp_path / "live.sqlite3", ["a"])
        (tmp_path / "taken").write_text("mine")
        with pytest.raises(BackupError, match="文件已存在"):
            backup.backup(db=db, out=tmp_path / "taken")
        assert (tmp_path / "taken").read_text() == "mine"

    def test_a_missing_database_is_not_backed_up(self, tmp_path: Path) -> None:
        with pytest.raises(BackupError, match="数据库文件不存在或为空"):
            backup.backup(db=Database("sqlite", str(tmp_path / "none")), out=tmp_path / "b")
        assert list(tmp_path.iterdir()) == []  # no half-written file left

    def test_a_file_that_is_not_a_backup_is_refused(self, tmp_path: Path) -> None:
        db = sqlite_db(tmp_path / "live.sqlite3", ["a"])
        notes = tmp_path / "notes.txt"
        notes.write_text("hello")
        with pytest.raises(BackupError, match="不是 chizheng backup 生成的备份文件"):
            backup.restore(db=db, file=notes, confirm=lambda q: True)
        other = tmp_path / "other.sqlite3"
        with closing(sqlite3.connect(other)) as con:
            con.execute("CREATE TABLE x (y)")
        with pytest.raises(BackupError, match="不是 chizheng 的备份（没有迁移记录）"):
            backup.restore(db=db, file=other, confirm=lambda q: True)
        assert things(db) == ["a"]

    def test_a_sqlite_backup_is_not_restored_into_postgresql(self, tmp_path: Path) -> None:
        out = backup.backup(db=sqlite_db(tmp_path / "a.sqlite3", []), out=tmp_path / "b")
        with pytest.raises(BackupError, match="这是 SQLite 的备份，当前数据库是 PostgreSQL"):
            backup.restore(db=Database("postgresql", "x"), file=out, confirm=lambda q: True)


def test_a_missing_pg_dump_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="找不到 pg_dump：请安装 PostgreSQL 客户端程序"):
        backup.backup(db=Database("postgresql", "chizheng"), out=tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []


def test_the_keys_in_use_are_checked_against_the_restored_data(tmp_path: Path) -> None:
    path = tmp_path / "people.sqlite3"
    with closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE people (id_number TEXT)")
        con.execute("INSERT INTO people VALUES (?)", (crypto.encrypt("410402199001010019"),))
        con.commit()

    def opens(db: Database) -> bool | None:
        return backup.keys_open_the_data(
            db, table="people", column="id_number", decrypt=crypto.decrypt
        )

    assert opens(Database("sqlite", str(path))) is True
    with override_settings(DATA_KEY=crypto.new_key()):
        assert opens(Database("sqlite", str(path))) is False
    assert opens(Database("sqlite", str(tmp_path / "x"))) is None


def run(var: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = fresh_env(var, keys=True, **env)
    # The installed command with fixed arguments.
    return subprocess.run(  # noqa: S603
        [str(CHIZHENG), *args],
        env=clean,
        stdin=subprocess.DEVNULL,  # not a terminal: nobody can answer the question
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_commands_on_sqlite(tmp_path: Path) -> None:
    var = tmp_path / "var"
    assert run(var, "migrate", "--verbosity", "0").returncode == 0
    assert run(var, "load_reference").returncode == 0
    out = tmp_path / "city.sqlite3"
    done = run(var, "backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"到 {out}" in done.stdout
    assert "CHIZHENG_DATA_KEY" in done.stderr and "CHIZHENG_INDEX_KEY" in done.stderr
    assert "无法读取" in done.stderr and "cannot be read" in done.stderr

    refused = run(var, "restore", str(out))
    assert refused.returncode == 1
    assert "已有数据" in refused.stdout and "--yes" in refused.stderr
    assert "已取消恢复，数据库未改动" in refused.stderr

    restored = run(var, "restore", "--yes", str(out))
    assert restored.returncode == 0, restored.stderr
    assert f"已从 {out} 恢复" in restored.stdout
    assert "CHIZHENG_DATA_KEY" in restored.stderr
    verified = run(var, "audit", "verify")
    assert verified.returncode == 0 and "1 条记录" in verified.stdout  # the restore itself


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.fixture
def scratch() -> Iterator[Database]:
    """A new, empty database beside the suite's, dropped afterwards."""
    live = Database.from_settings(connection.settings_dict)
    name = f"{live.name}_restore_{secrets.token_hex(3)}"[:63]
    admin = Database("postgresql", "postgres", live.user, live.password, live.host, live.port)
    with admin.connect() as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", name, live.user, live.password, live.host, live.port)
    finally:
        with admin.connect() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_count(db: Database, sql: str) -> int:
    with db.connect() as con:
        return int(con.execute(sql).fetchone()[0])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore(city, scratch: Database, tmp_path: Path) -> None:
    live = Database.from_settings(connection.settings_dict)
    counties = County.objects.count()
    assert counties == 12
    dump = backup.backup(db=live, out=tmp_path / "city.dump")
    assert dump.read_bytes().startswith(b"PGDMP")

    backup.restore(db=scratch, file=dump, confirm=lambda q: pytest.fail(f"asked: {q}"))
    assert pg_count(scratch, "SELECT count(*) FROM org_county") == counties
    tables = pg_count(scratch, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")

    with scratch.connect() as con:  # what happened after the backup
        con.execute("CREATE TABLE added_later (id int)")
        con.execute("DELETE FROM org_county WHERE code = '410402'")

    with pytest.raises(BackupError, match="已取消恢复"):
        backup.restore(db=scratch, file=dump, confirm=lambda q: False)
    assert pg_count(scratch, "SELECT count(*) FROM org_county") == counties - 1

    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with pytest.raises(BackupError, match="数据库未改动"):
        backup.restore(db=scratch, file=truncated, confirm=lambda q: True)
    assert pg_count(scratch, "SELECT count(*) FROM org_county") == counties - 1
    assert pg_count(scratch, "SELECT count(*) FROM pg_tables WHERE tablename = 'added_later'") == 1

    backup.restore(db=scratch, file=dump, confirm=lambda q: True)
    assert pg_count(scratch, "SELECT count(*) FROM org_county") == counties
    assert pg_count(scratch, "SELECT count(*) FROM pg_tables WHERE tablename = 'added_later'") == 0
    assert pg_count(scratch, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == tables

    # The command, on the scratch database: the restored audit triggers and chain work.
    url = (
        f"postgresql://{scratch.user}:{scratch.password}@{scratch.host or '127.0.0.1'}:"
        f"{scratch.port or 5432}/{scratch.name}"
    )
    done = run(tmp_path / "var", "restore", "--yes", str(dump), DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    verified = run(tmp_path / "var", "audit", "verify", DATABASE_URL=url)
    assert verified.returncode == 0, verified.stderr
