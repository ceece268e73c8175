"""Backups (备份): the database and the uploaded files in one tar with a manifest, and the restore that checks
the archive before it replaces anything.

An archive holds `manifest.json` (time, database vendor, applied migrations, rows per table, a SHA-256 per file),
the database (`database.sqlite3`, a copy made with SQLite's backup API, or `database.pgdump`, `pg_dump
--format=custom`) and the files under MEDIA_ROOT as `media/<path>`.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_verify
from grassroots.core import pgtools
from grassroots.core.errors import DomainError
from grassroots.people.models import Person

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupRefused(DomainError):
    """The archive or the database is not fit for a restore; nothing was changed."""

    status = 409
    code = "backup_refused"


@dataclass
class RestoreReport:
    created_at: str
    tables: int
    rows: int
    count_mismatches: list[str] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.count_mismatches and not self.audit_problems


# --- backup ---------------------------------------------------------------------------------------------------


def backup_create(*, output_dir: Path) -> Path:
    """Write a new archive into `output_dir` and return its path. Safe while the server keeps writing."""
    output_dir.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupRefused(_("不支持备份 {vendor} 数据库。").format(vendor=vendor), code="backup_vendor")
    now = timezone.now()
    name = f"grassroots-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        migrations, tables = _sqlite_dump(dump) if vendor == "sqlite" else _postgresql_dump(dump)
        partial = Path(work) / name
        files: dict[str, str] = {}
        with tarfile.open(partial, "w") as archive:
            files[dump.name] = _add(archive, dump.name, dump)
            for path in _media_files():
                member = f"media/{path.relative_to(settings.MEDIA_ROOT).as_posix()}"
                files[member] = _add(archive, member, path)
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "vendor": vendor,
                "migrations": migrations,
                "tables": tables,
                "files": files,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(now.timestamp())
            archive.addfile(info, _BytesReader(body))
        # The archive appears under its name only once complete.
        final = output_dir / name
        os.replace(partial, final)
    return final


def _sqlite_dump(dump: Path) -> tuple[list[str], dict[str, int]]:
    """A consistent copy in one step of the backup API (a read transaction: writers in WAL mode carry on)."""
    source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
        cursor = copy.cursor()
        # Counted in the copy itself: the counts describe exactly what the archive holds.
        return _migrations(cursor), _counts(cursor, _sqlite_tables(cursor))
    finally:
        copy.close()
        source.close()


def _postgresql_dump(dump: Path) -> tuple[list[str], dict[str, int]]:
    """pg_dump of a snapshot exported by this transaction, so the counts and the dump see the same data."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        migrations = _migrations(cursor)
        tables = _counts(cursor, connection.introspection.table_names(cursor))
        pgtools.run(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
        )
    return migrations, tables


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _add(archive: tarfile.TarFile, member: str, path: Path) -> str:
    """Add a file and return the SHA-256 of the very bytes written into the archive."""
    with path.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=member)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return reader.digest.hexdigest()


class _HashingReader:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


class _BytesReader:
    def __init__(self, body: bytes) -> None:
        self.body, self.at = body, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.body) if size < 0 else self.at + size
        chunk, self.at = self.body[self.at : end], min(end, len(self.body))
        return chunk


# --- counting -------------------------------------------------------------------------------------------------


def _migrations(cursor: Any) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    return [name for (name,) in cursor.fetchall() if not name.startswith("sqlite_")]


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def table_counts() -> dict[str, int]:
    """Rows in every table of the configured database (SQLite's own tables left out)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _counts(cursor, [t for t in tables if not t.startswith("sqlite_")])


def code_migrations() -> list[str]:
    """The migrations this code ships, as `app.name`."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.nodes)


# --- restore --------------------------------------------------------------------------------------------------


def backup_restore(*, archive: Path, replace: bool) -> RestoreReport:
    """Check the archive, then replace the database and MEDIA_ROOT with its contents, then count and verify.

    Refused, with nothing changed, when the archive is damaged or made by other code (its migrations differ) or
    for another database vendor, and, unless `replace`, when the database already holds accounts or audit rows.
    """
    with _unpacked(archive) as (manifest, work):
        _check_fits(manifest, replace=replace)
        dump = work / DUMP_NAMES[manifest["vendor"]]
        if manifest["vendor"] == "sqlite":
            _sqlite_restore(dump)
        else:
            _postgresql_restore(dump)
        _media_restore(work / "media")
    counts = table_counts()
    mismatches = [
        _("表 {table}：备份中 {expected} 行，恢复后 {found} 行").format(
            table=table, expected=expected, found=counts.get(table, _("（缺失）"))
        )
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    ]
    mismatches += [_("表 {table} 不在备份中").format(table=t) for t in counts if t not in manifest["tables"]]
    return RestoreReport(
        created_at=manifest["created_at"],
        tables=len(counts),
        rows=sum(counts.values()),
        count_mismatches=mismatches,
        audit_problems=audit_verify(),
    )


@contextmanager
def _unpacked(archive: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The manifest and a directory holding the archive's files, each checked against its checksum."""
    if not archive.is_file():
        raise BackupRefused(_("找不到备份文件 {path}。").format(path=archive), code="backup_missing")
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=Path(settings.MEDIA_ROOT).parent))
    try:
        try:
            with tarfile.open(archive, "r") as tar:
                manifest = _read_manifest(tar)
                _extract_checked(tar, manifest["files"], work)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupRefused(
                _("备份文件已损坏，无法读取：{error}").format(error=exc), code="backup_damaged"
            ) from exc
        yield manifest, work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(_("备份文件中没有可用的清单（manifest.json）。"), code="backup_damaged")
    if manifest.get("vendor") not in DUMP_NAMES or DUMP_NAMES[manifest["vendor"]] not in manifest["files"]:
        raise BackupRefused(_("备份清单不完整：缺少数据库文件。"), code="backup_damaged")
    return manifest


def _extract_checked(tar: tarfile.TarFile, files: dict[str, str], work: Path) -> None:
    seen = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        path = PurePosixPath(member.name)
        if member.name not in files or not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise BackupRefused(
                _("备份中有清单未列出的内容：{name}。").format(name=member.name), code="backup_damaged"
            )
        target = work.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source = tar.extractfile(member)
        assert source is not None  # a regular file
        with target.open("wb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != files[member.name]:
            raise BackupRefused(
                _("备份文件 {name} 的校验值不符：文件已损坏或被修改，拒绝恢复。").format(name=member.name),
                code="backup_checksum",
            )
        seen.add(member.name)
    if missing := sorted(set(files) - seen):
        raise BackupRefused(
            _("备份中缺少清单列出的文件：{names}。").format(names="、".join(missing[:5])),
            code="backup_damaged",
        )


def _check_fits(manifest: dict[str, Any], *, replace: bool) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupRefused(
            _("这是 {archive} 数据库的备份，当前配置的是 {current} 数据库。").format(
                archive=manifest["vendor"], current=connection.vendor
            ),
            code="backup_vendor",
        )
    ours, theirs = set(code_migrations()), set(manifest["migrations"])
    if ours != theirs:
        only_code, only_backup = sorted(ours - theirs), sorted(theirs - ours)
        raise BackupRefused(
            _(
                "备份的数据库迁移与当前代码不一致，拒绝恢复。仅代码中有：{code}；仅备份中有：{backup}。"
                "请换用与备份同一版本的代码恢复。"
            ).format(code="、".join(only_code[:5]) or "无", backup="、".join(only_backup[:5]) or "无"),
            code="backup_migrations",
        )
    if not replace and (people := _holds_data()):
        raise BackupRefused(
            _("当前数据库不是空的（{what}），恢复会覆盖它。确认覆盖请加 --yes。").format(what=people),
            code="backup_not_empty",
        )


def _holds_data() -> str:
    """What makes the database worth keeping, in words, or "" for a database holding only what `migrate` loads."""
    try:
        people, entries = Person.objects.count(), AuditEntry.objects.count()
    except DatabaseError:  # no tables yet: nothing to lose
        return ""
    if not people and not entries:
        media = Path(settings.MEDIA_ROOT)
        return _("上传目录中已有文件") if media.is_dir() and any(media.iterdir()) else ""
    return _("{people} 个账号，{entries} 条审计记录").format(people=people, entries=entries)


def _sqlite_restore(dump: Path) -> None:
    """Copy the archive's database into the configured file with the backup API: other connections see the new
    pages at once (no file swapped under them), and writers wait on SQLite's lock while it runs."""
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"], timeout=60)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _postgresql_restore(dump: Path) -> None:
    # Our own connection may hold prepared statements on the tables about to be dropped.
    connection.close()
    pgtools.run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(dump)],
    )
    connection.close()


def _media_restore(staged: Path) -> None:
    """Empty MEDIA_ROOT, then move the archive's files in."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(child, root / child.name)
