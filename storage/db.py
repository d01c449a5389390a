"""Opening a database: engine, SQLite tuning, migrations, and clear errors.

Every entry point goes through :func:`open_database`, so a bad URL, an
unreachable server, a read-only file or a full disk turns into one ``DatabaseError``
with a message an operator can act on, and the schema is always migrated to head.

Commands that only read (``findings``, ``report``, ``status``) open with
``create=False``: a database that does not exist — a mistyped ``--db`` — is an error,
not a new empty database that answers "nothing found". Migrations run under a lock (a
file lock on SQLite, an advisory lock on PostgreSQL), so two processes creating the
same new database at once do not both create its tables.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.models import storable

DEFAULT_DB_URL = "sqlite:///govwatch.db"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(Exception):
    """A database that cannot be used; the message is for the operator (Chinese)."""


class DatabaseUrlError(DatabaseError):
    """The database URL itself is malformed or names an unknown backend (bad usage)."""


def default_url() -> str:
    return os.environ.get("GOVWATCH_DB") or DEFAULT_DB_URL


DISK_FULL = "数据库写入失败：磁盘空间已满（请清理磁盘后重试，已写入的数据保持完整）"
READ_ONLY = (
    "数据库文件是只读的，无法写入（请检查数据库文件及其所在目录的权限，或磁盘是否以只读方式挂载）"
)
# Below this much free space SQLite cannot even start a write (journal, WAL index).
_FULL_BELOW_BYTES = 64 * 1024


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another backend or an in-memory database)."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser().resolve()


def _file_problem(path: Path | None) -> str | None:
    """What is wrong with a SQLite file's place, when SQLite only says "I/O error" or
    "unable to open": a full disk, or a file or directory that cannot be written."""
    if path is None:
        return None
    try:
        if shutil.disk_usage(path.parent).free < _FULL_BELOW_BYTES:
            return DISK_FULL
    except OSError:
        return None
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(path.parent, os.W_OK):
        return READ_ONLY
    return None


def describe_error(error: BaseException, path: Path | None = None) -> str:
    """One Chinese sentence for a database failure (disk full, read-only, locked,
    refused …); ``path``, a SQLite file, helps name SQLite's vaguer errors."""
    text = str(getattr(error, "orig", None) or error)
    low = text.lower()
    if "disk is full" in low or "no space left" in low or "disk full" in low:
        return DISK_FULL
    if "readonly database" in low or "read-only file system" in low:
        return READ_ONLY
    if "disk i/o error" in low or "unable to open database" in low or "permission denied" in low:
        problem = _file_problem(path)
        if problem:
            return problem
    if "database is locked" in low:
        return "数据库被其他进程锁定，请稍后重试"
    if "unable to open database" in low:
        return f"无法打开数据库文件（{text}）"
    if "connection refused" in low or "could not connect" in low or "connection failed" in low:
        return f"无法连接数据库服务器（{text.splitlines()[0]}）"
    if "password authentication failed" in low:
        return "数据库认证失败：用户名或密码错误"
    return f"数据库错误：{text.splitlines()[0] if text else type(error).__name__}"


def _has_nul(row: Any) -> bool:
    values = row.values() if isinstance(row, dict) else row
    return any(isinstance(v, str) and "\x00" in v for v in values)


def _without_nul_row(row: Any) -> Any:
    def clean(v: Any) -> Any:
        return storable(v) if isinstance(v, str) else v

    if isinstance(row, dict):
        return {k: clean(v) for k, v in row.items()}
    return type(row)(clean(v) for v in row) if isinstance(row, tuple) else [clean(v) for v in row]


def _without_nul(conn, cursor, statement, parameters, context, executemany):
    """Every text value is stored without NUL characters (``storage.models.storable``):
    PostgreSQL cannot store one ("text fields cannot contain NUL"), and a NUL in one feed
    title failed the whole scan. Every row of every table passes here, whoever built it
    (ORM, Core, the bulk link insert), and so do the values queries compare with; a
    value without NUL costs one ``in`` test."""
    if not parameters:
        return statement, parameters
    # Rows (executemany), or one row: SQLAlchemy's batched "insertmanyvalues" passes one
    # flat row while saying executemany, so the shape decides.
    many = not isinstance(parameters, dict) and isinstance(parameters[0], (dict, list, tuple))
    if many:
        if any(_has_nul(row) for row in parameters):
            parameters = [_without_nul_row(row) for row in parameters]
    elif _has_nul(parameters):
        parameters = _without_nul_row(parameters)
    return statement, parameters


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 32 MiB of page cache per connection (SQLite's default is 2 MiB): the review app's
    # findings list reads rows all over a 100,000-finding table (storage.finding_list).
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise DatabaseUrlError(f"数据库地址格式无效：{url}（例：sqlite:///govwatch.db）") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:":
                parent = Path(database).expanduser().resolve().parent
                if not parent.is_dir():
                    raise DatabaseError(f"数据库所在目录不存在：{parent}")
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
        event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    except exc.NoSuchModuleError:
        raise DatabaseUrlError(f"不支持的数据库类型：{parsed.drivername}") from None
    except ImportError as error:
        raise DatabaseError(f"缺少数据库驱动：{error.name}") from None
    return engine


# Any constant both processes agree on: the key of PostgreSQL's migration lock.
_PG_MIGRATION_LOCK = 0x676F7677  # "govw"


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """An exclusive ``flock`` on the SQLite file itself while migrations run (SQLite's
    own locks are POSIX record locks, which ``flock`` does not touch). Opening the file
    creates it empty, which SQLite reads as an empty database."""
    if path is None:
        yield
        return
    # A file that exists is only read here (it may be read-only: the first write says so)
    with open(path, "rb" if path.exists() else "ab") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent), one process at a
    time: the second of two processes creating one new database finds it made."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with _file_lock(sqlite_path(str(engine.url))), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    # Closing the lock's descriptor dropped every POSIX lock this process held on the
    # file, SQLite's own included: the connection that migrated no longer holds the
    # shared lock that tells other processes the write-ahead log is in use, and the next
    # process to close the database would checkpoint and delete the log this one goes on
    # writing to (its commits then lost to every other process). Later connections are
    # opened anew, with their own locks.
    engine.dispose()


def _is_govwatch_database(engine: Engine) -> bool:
    with engine.connect() as connection:
        return inspect(connection).has_table("alembic_version")


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True, create: bool = True) -> Database:
    """The database at ``url``, migrated to head. With ``create=False`` (commands that
    only read) a database that does not exist yet is an error, never created."""
    url = url or default_url()
    path = sqlite_path(url)
    engine = create_db_engine(url)  # connects to nothing yet (and names a missing folder)
    if not create and path is not None and not path.is_file():
        engine.dispose()
        raise DatabaseError(
            f"数据库文件不存在：{path}（请检查 --db 或 GOVWATCH_DB；新数据库由 govwatch scan 创建）"
        )
    try:
        if not create and not _is_govwatch_database(engine):
            raise DatabaseError(
                f"数据库中没有 govwatch 的数据：{engine.url.render_as_string(hide_password=True)}"
                "（请检查 --db 或 GOVWATCH_DB；新数据库由 govwatch scan 创建）"
            )
        if migrate:
            upgrade_schema(engine)
        else:
            with engine.connect():
                pass
    except DatabaseError:
        engine.dispose()
        raise
    except (exc.SQLAlchemyError, OSError) as error:
        engine.dispose()
        raise DatabaseError(describe_error(error, path)) from None
    return Database(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
