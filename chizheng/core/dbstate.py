"""Why a command could not use the database: missing, unreachable, or not migrated.

``chizheng.cli`` asks ``explain`` when a command fails with a database error, and prints its
answer instead of a traceback. An error that none of these explains is re-raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

NOT_MIGRATED = "数据库尚未初始化，请先运行 `chizheng migrate`"
NOT_MIGRATED_EN = "The database is not initialised: run `chizheng migrate` first."


@dataclass(frozen=True)
class Problem:
    message: str  # Chinese
    message_en: str

    def __str__(self) -> str:
        return f"{self.message}\n{self.message_en}"


def _missing_database(error: BaseException) -> bool:
    text = str(error)
    return "does not exist" in text and "database" in text  # PostgreSQL: FATAL: database "x"…


def _sqlite_has_content(name: str) -> bool:
    path = Path(name)
    return path.is_file() and path.stat().st_size > 0


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database lacks (all of them when it has no tables)."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def explain(error: BaseException, alias: str = DEFAULT_DB_ALIAS) -> Problem | None:
    """What is wrong with the database, if that is what ``error`` comes from."""
    if not isinstance(error, DatabaseError):
        return None
    connection = connections[alias]
    name = connection.settings_dict.get("NAME", "")
    connection.close()  # a failed statement may have left it unusable
    if connection.vendor == "sqlite" and not _sqlite_has_content(str(name)):
        return Problem(NOT_MIGRATED, NOT_MIGRATED_EN)
    try:
        behind = unapplied_migrations(alias)
    except DatabaseError as e:
        if _missing_database(e) or _missing_database(error):
            return Problem(
                f"数据库“{name}”不存在：请先创建（createdb {name}），再运行 `chizheng migrate`",
                f"The database {name!r} does not exist: create it, then run `chizheng migrate`.",
            )
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return Problem(f"无法连接数据库：{first}", f"Cannot connect to the database: {first}")
    finally:
        connection.close()
    if behind:
        return Problem(NOT_MIGRATED, NOT_MIGRATED_EN)
    return None
