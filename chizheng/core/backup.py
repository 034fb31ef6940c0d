"""Backing the database up to one file and restoring it from one.

PostgreSQL: ``pg_dump`` in its custom format; restored by ``pg_restore`` turned into SQL and
run by ``psql`` in one transaction, after dropping what the database holds, so a restore
either replaces everything or changes nothing (the transaction commits only once the whole
file has been read without error). SQLite: the online backup API (consistent
while the server writes), in both directions.

A backup holds personal data encrypted with ``CHIZHENG_DATA_KEY`` and indexed with
``CHIZHENG_INDEX_KEY``; neither key is in it. Without them a restored database cannot show
or find an ID number or phone, so both commands say so, and a restore checks that the keys
it runs with open the data it restored.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import DomainError

KEY_WARNING = (
    "请将数据密钥 CHIZHENG_DATA_KEY 和索引密钥 CHIZHENG_INDEX_KEY 与备份一同保管（与备份分开存放、"
    "同样保密）：没有它们，备份中的身份证号码、手机号码等个人信息无法读取，也无法按号码查找。"
    "审计密钥 CHIZHENG_AUDIT_KEY 另行保管：没有它无法核验审计日志。"
)
KEY_WARNING_EN = (
    "Keep CHIZHENG_DATA_KEY and CHIZHENG_INDEX_KEY with this backup (stored apart from it, "
    "as secret): without them the ID numbers and phones in it cannot be read or looked up. "
    "Keep CHIZHENG_AUDIT_KEY apart as well: without it the audit log cannot be verified."
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
Engine = Literal["sqlite", "postgresql"]


class BackupError(DomainError):
    code = "backup_failed"
    http_status = 500


@dataclass(frozen=True)
class Database:
    """Where the data is: a SQLite file, or a PostgreSQL database and how to reach it."""

    engine: Engine
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, entry: dict[str, Any]) -> Database:
        engine = str(entry.get("ENGINE", ""))
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(entry["NAME"]))
        if engine.endswith("postgresql"):
            return cls(
                "postgresql",
                str(entry["NAME"]),
                str(entry.get("USER") or ""),
                str(entry.get("PASSWORD") or ""),
                str(entry.get("HOST") or ""),
                str(entry.get("PORT") or ""),
            )
        raise BackupError(f"不支持备份此类数据库：{engine}", message_en=f"cannot back up {engine}")

    @property
    def label(self) -> str:
        return self.name if self.engine == "sqlite" else f"PostgreSQL {self.name}"

    def client_args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def client_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> Any:
        """A plain DB-API connection (not Django's), for the checks around a restore."""
        if self.engine == "sqlite":
            return sqlite3.connect(self.name)
        import psycopg

        return psycopg.connect(
            dbname=self.name,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
            autocommit=True,
        )


def _one(db: Database, sql: str) -> tuple[Any, ...] | None:
    """The first row of a query on a plain connection, closed afterwards."""
    if db.engine == "sqlite":
        with closing(sqlite3.connect(f"file:{db.name}?mode=ro", uri=True)) as con:
            row: tuple[Any, ...] | None = con.execute(sql).fetchone()
            return row
    with db.connect() as con:
        row = con.execute(sql).fetchone()
        return row


def _database_errors() -> tuple[type[Exception], ...]:
    import psycopg

    return (sqlite3.Error, psycopg.Error)


def default_file(db: Database, var_dir: Path, now: dt.datetime) -> Path:
    suffix = ".sqlite3" if db.engine == "sqlite" else ".dump"
    return var_dir / "backups" / f"chizheng-{now:%Y%m%d-%H%M%S}{suffix}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端程序（Debian/Ubuntu：apt-get install "
            "postgresql-client，版本不低于数据库服务器）",
            message_en=f"{name} not found: install the PostgreSQL client (postgresql-client)",
            detail={"tool": name},
        )
    return path


def _first_lines(text: bytes | str, n: int = 5) -> str:
    s = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return "\n".join(line for line in s.strip().splitlines()[:n])


# --- backup ----------------------------------------------------------------------------


def backup(*, db: Database, out: Path) -> Path:
    """Write the whole database to ``out`` (a new file, readable by its owner only)."""
    if out.exists():
        raise BackupError(
            f"文件已存在：{out}（备份不会覆盖已有文件）",
            message_en=f"{out} exists (a backup never overwrites a file)",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a failed backup leaves no half file behind.
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        if db.engine == "sqlite":
            _backup_sqlite(db, tmp)
        else:
            _backup_postgresql(db, tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _backup_sqlite(db: Database, tmp: Path) -> None:
    source = Path(db.name)
    if not source.is_file() or source.stat().st_size == 0:
        raise BackupError(
            f"数据库文件不存在或为空：{source}", message_en=f"no database at {source}"
        )
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _backup_postgresql(db: Database, tmp: Path) -> None:
    pg_dump = _tool("pg_dump")
    done = subprocess.run(  # noqa: S603 -- a fixed program with arguments from the settings
        [pg_dump, "--format=custom", "--file", str(tmp), *db.client_args()],
        env=db.client_env(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            f"pg_dump 失败：{_first_lines(done.stderr)}",
            message_en=f"pg_dump failed: {_first_lines(done.stderr)}",
        )


# --- restore ---------------------------------------------------------------------------


def kind_of(file: Path) -> Engine:
    """Which engine wrote this backup (from its first bytes)."""
    try:
        with file.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise BackupError(
            f"无法读取备份文件 {file}：{e.strerror}", message_en=f"cannot read {file}"
        ) from e
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{file} 不是 chizheng backup 生成的备份文件（既不是 SQLite 数据库，也不是 pg_dump 文件）",
        message_en=f"{file} is not a backup made by chizheng backup",
    )


def table_count(db: Database) -> int:
    """How many tables the database holds now (0: new or missing, nothing to overwrite)."""
    if db.engine == "sqlite":
        path = Path(db.name)
        if not path.is_file() or path.stat().st_size == 0:
            return 0
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
    row = _one(db, sql)
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class Restored:
    file: Path
    replaced_tables: int  # tables the database held before


def restore(*, db: Database, file: Path, confirm: Callable[[str], bool]) -> Restored:
    """Replace the database's content with the backup's. A database that holds tables is
    overwritten only if ``confirm`` (asked with the reason) says yes."""
    kind = kind_of(file)
    if kind != db.engine:
        raise BackupError(
            f"这是 {'SQLite' if kind == 'sqlite' else 'PostgreSQL'} 的备份，当前数据库是 "
            f"{'SQLite' if db.engine == 'sqlite' else 'PostgreSQL'}：请恢复到同类数据库",
            message_en=f"a {kind} backup cannot be restored into {db.engine}",
        )
    if kind == "sqlite":
        _check_sqlite_backup(file)
    existing = table_count(db)
    if existing:
        question = (
            f"数据库 {db.label} 中已有数据（{existing} 张表）。恢复将用备份 {file.name} "
            "替换其中的全部数据，且无法撤销。"
        )
        if not confirm(question):
            raise BackupError(
                "已取消恢复，数据库未改动", message_en="restore cancelled", code="cancelled"
            )
    if kind == "sqlite":
        _restore_sqlite(db, file)
    else:
        _restore_postgresql(db, file)
    return Restored(file, existing)


def _check_sqlite_backup(file: Path) -> None:
    backup_db = Database("sqlite", str(file))
    ok = (_one(backup_db, "PRAGMA integrity_check") or ("?",))[0]
    if ok != "ok":
        raise BackupError(f"备份文件已损坏：{ok}", message_en=f"the backup is damaged: {ok}")
    if not _one(
        backup_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
    ):
        raise BackupError(
            f"{file} 是 SQLite 数据库，但不是 chizheng 的备份（没有迁移记录）",
            message_en=f"{file} is not a chizheng database",
        )


def _restore_sqlite(db: Database, file: Path) -> None:
    target = Path(db.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        # One step: the destination is written inside one transaction, all or nothing.
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# Drops everything the database's schema holds (tables, views, sequences, functions; not
# what an extension owns), in the same transaction as the restored SQL.
_DROP_ALL = """
DO $chizheng_restore$
DECLARE r record;
BEGIN
  FOR r IN SELECT format('DROP VIEW IF EXISTS %I.%I CASCADE', schemaname, viewname) AS s
           FROM pg_views WHERE schemaname = current_schema() LOOP EXECUTE r.s; END LOOP;
  FOR r IN SELECT format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename) AS s
           FROM pg_tables WHERE schemaname = current_schema() LOOP EXECUTE r.s; END LOOP;
  FOR r IN SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', schemaname, sequencename) AS s
           FROM pg_sequences WHERE schemaname = current_schema() LOOP EXECUTE r.s; END LOOP;
  FOR r IN SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure) AS s
           FROM pg_proc p
           WHERE p.pronamespace = current_schema()::regnamespace
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
           LOOP EXECUTE r.s; END LOOP;
END
$chizheng_restore$;
"""


def _restore_postgresql(db: Database, file: Path) -> None:
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    env = db.client_env()
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        script = subprocess.Popen(  # noqa: S603 -- fixed programs, arguments from the settings
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(file)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
            env=env,
        )
        runner = subprocess.Popen(  # noqa: S603
            [
                psql,
                "--no-psqlrc",
                "--quiet",
                "--set",
                "ON_ERROR_STOP=1",
                "--file=-",
                *db.client_args(),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        assert script.stdout is not None and runner.stdin is not None
        # One transaction, committed only once pg_restore has produced the whole script
        # without error: a truncated or damaged file rolls everything back.
        try:
            runner.stdin.write(b"BEGIN;\n" + _DROP_ALL.encode("utf-8"))
            shutil.copyfileobj(script.stdout, runner.stdin, 1 << 20)
            script_rc = script.wait()
            runner.stdin.write(b"COMMIT;\n" if script_rc == 0 else b"ROLLBACK;\n")
        except BrokenPipeError:
            pass  # psql stopped at an error (and rolled back): its message is read below
        finally:
            runner.stdin.close()
            script.stdout.close()
        script_rc, runner_rc = script.wait(), runner.wait()
        restore_err.seek(0)
        psql_err.seek(0)
        if script_rc != 0:
            raise BackupError(
                f"pg_restore 无法读取备份，数据库未改动：{_first_lines(restore_err.read())}",
                message_en="pg_restore could not read the backup; the database is unchanged",
            )
        if runner_rc != 0:
            raise BackupError(
                f"恢复失败，数据库未改动：{_first_lines(psql_err.read())}",
                message_en="the restore failed and was rolled back; the database is unchanged",
            )


# --- after a restore --------------------------------------------------------------------


def keys_open_the_data(
    db: Database, *, table: str, column: str, decrypt: Callable[[str], str]
) -> bool | None:
    """Whether the key this process runs with opens the restored personal data (one
    encrypted value of ``table.column``); ``None`` when there is none to try."""
    try:
        row = _one(db, f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\' LIMIT 1')  # noqa: S608 -- names from the model, not from input
    except _database_errors():  # an older or empty schema: nothing to try
        return None
    if row is None or not row[0]:
        return None
    try:
        decrypt(str(row[0]))
    except Exception:  # a wrong key fails authentication (InvalidTag), a bad one earlier
        return False
    return True
