"""The settings lists of the Endpoint API (``/endpoint/v1/settings/...``), declared once.

Each constant is a :class:`~pysophoscentralapi._collection.Collection`; its body builders are the
library's ``add``/``update`` arguments (checked before anything is sent).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pysophoscentralapi._collection import (
    Cli,
    Collection,
    Filter,
    Option,
    nothing_to_update,
)
from pysophoscentralapi._enums.endpoint_settings import (
    ALLOWED_ITEM_TYPES,
    BLOCKED_ADDRESS_SORT_FIELDS,
    BLOCKED_ITEM_TYPES,
    EVENT_JOURNAL_ENDPOINT_TYPES,
    EXCLUSION_DIRECTIONS,
    EXPLOIT_APPLICATION_TYPES,
    SCAN_MODES,
    SCANNING_EXCLUSION_TYPES,
    TYPES_WITHOUT_SCAN_MODE,
)
from pysophoscentralapi._validation import (
    check_choice,
    check_form,
    check_sha256,
    check_text,
    check_uuid,
)

if TYPE_CHECKING:
    from pysophoscentralapi.models.endpoint_settings import (
        AllowedItem,
        BlockedAddress,
        BlockedItem,
        DetectedExploit,
        ExcludedWebsite,
        ExploitMitigationApplication,
        LocalSite,
        NetworkExclusion,
        Peripheral,
        ScanningExclusion,
    )

SETTINGS = "/endpoint/v1/settings"
_CLI = "pysophos endpoint settings"
SOME_ID = "3f2c1d6e-8f7a-4b7e-9a55-1c2d3e4f5a6b"
SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#: Said by every settings list's ``delete`` help: the API's answer proves nothing.
DELETE_NOTE = (
    "The API answers 'deleted' also for an id that does not exist, so a typo is not reported."
)


def _optional_id(value: str | None, name: str) -> str | None:
    return None if value is None else check_uuid(value, name, noun="an id")


# --- allowed and blocked items ---------------------------------------------------------------------

#: (type, CLI option) of allowed/blocked items, in inference order.
_MATCHERS = (
    ("sha256", "--sha256"),
    ("path", "--path"),
    ("certificateSigner", "--certificate-signer"),
)
_ARGUMENT_OF_TYPE = {"sha256": "sha256", "path": "path", "certificateSigner": "certificate_signer"}


def file_item_body(
    *,
    type: str,
    types: Sequence[str],
    sha256: str | None = None,
    path: str | None = None,
    certificate_signer: str | None = None,
    file_name: str | None = None,
    comment: str,
    origin_person_id: str | None = None,
    origin_endpoint_id: str | None = None,
) -> dict[str, Any]:
    """The body adding an allowed or blocked item: ``properties[type]`` must be given."""
    item_type = check_choice(type, "type", types)
    check_text(comment, "comment")
    properties: dict[str, str] = {}
    if file_name is not None:
        properties["fileName"] = check_text(file_name, "file_name")
    if path is not None:
        properties["path"] = check_text(path, "path")
    if sha256 is not None:
        properties["sha256"] = check_sha256(sha256)
    if certificate_signer is not None:
        properties["certificateSigner"] = check_text(certificate_signer, "certificate_signer")
    if item_type not in properties:
        raise ValueError(f"{_ARGUMENT_OF_TYPE[item_type]}: required for type {item_type!r}")
    body: dict[str, Any] = {"type": item_type, "properties": properties, "comment": comment}
    if origin_person_id is not None:
        body["originPersonId"] = _optional_id(origin_person_id, "origin_person_id")
    if origin_endpoint_id is not None:
        body["originEndpointId"] = _optional_id(origin_endpoint_id, "origin_endpoint_id")
    return body


def allowed_item_body(
    *,
    type: str,
    comment: str,
    sha256: str | None = None,
    path: str | None = None,
    certificate_signer: str | None = None,
    file_name: str | None = None,
    origin_person_id: str | None = None,
    origin_endpoint_id: str | None = None,
) -> dict[str, Any]:
    """Allow an application: ``type`` is ``path``, ``sha256`` or ``certificateSigner`` and the
    argument of that name is required; the others are extra details."""
    return file_item_body(
        type=type,
        types=ALLOWED_ITEM_TYPES,
        sha256=sha256,
        path=path,
        certificate_signer=certificate_signer,
        file_name=file_name,
        comment=comment,
        origin_person_id=origin_person_id,
        origin_endpoint_id=origin_endpoint_id,
    )


def blocked_item_body(
    *,
    sha256: str,
    comment: str,
    file_name: str | None = None,
    path: str | None = None,
    type: str = "sha256",
) -> dict[str, Any]:
    """Block an application by its SHA-256 (``file_name`` and ``path`` are details)."""
    return file_item_body(
        type=type,
        types=BLOCKED_ITEM_TYPES,
        sha256=sha256,
        path=path,
        file_name=file_name,
        comment=comment,
    )


def comment_body(*, comment: str) -> dict[str, Any]:
    """Change an item's comment (all the API lets you change of an allowed item)."""
    return {"comment": check_text(comment, "comment")}


def infer_item_type(values: dict[str, Any]) -> dict[str, Any]:
    """The CLI's ``--type`` of an allowed item: as given, else the one matcher option given."""
    options = dict(_MATCHERS)
    present = [t for t, _ in _MATCHERS if values.get(_ARGUMENT_OF_TYPE[t])]
    given = values.get("type")
    if given is not None:
        if not values.get(_ARGUMENT_OF_TYPE[given]):
            raise ValueError(f"--type {given} needs {options[given]}")
        return values
    if not present:
        raise ValueError(f"give one of {', '.join(options.values())}")
    if len(present) > 1:
        raise ValueError(
            f"{' and '.join(options[t] for t in present)} given: say which one the item matches "
            f"on with --type ({', '.join(ALLOWED_ITEM_TYPES)})"
        )
    return {**values, "type": present[0]}


def _matched(values: dict[str, Any]) -> str:
    return f"{values['type']} {values[_ARGUMENT_OF_TYPE[values['type']]]}"


_FILE_NAME = Option("file_name", "File name (a detail).", metavar="NAME")
_COMMENT = Option("comment", "Why (required).", required=True, metavar="TEXT")
#: The optional comment of an added item.
_WHY = Option("comment", "Why.", kind="free", metavar="TEXT")
_FILE_COLUMNS = (
    "id",
    "type",
    "properties.fileName",
    "properties.sha256",
    "properties.path",
    "properties.certificateSigner",
    "comment",
    "createdAt",
)

ALLOWED_ITEMS: Collection[AllowedItem] = Collection(
    path=f"{SETTINGS}/allowed-items",
    model="pysophoscentralapi.models.endpoint_settings:AllowedItem",
    attribute="settings.allowed_items",
    add=allowed_item_body,
    update=comment_body,
    cli=Cli(
        group="allowed-items",
        noun="allowed item",
        columns=_FILE_COLUMNS,
        add_options=(
            Option("sha256", "SHA-256 of the file (64 hex).", kind="sha256", metavar="HASH"),
            Option("path", "Path of the file.", metavar="PATH"),
            Option("certificate_signer", "Certificate signer.", metavar="NAME"),
            _FILE_NAME,
            Option(
                "type",
                "What the item matches on [default: the one of --sha256/--path/"
                "--certificate-signer given].",
                kind="choice",
                choices=ALLOWED_ITEM_TYPES,
            ),
            _COMMENT,
            Option("origin_person_id", "Person it came from.", kind="id", metavar="ID"),
            Option("origin_endpoint_id", "Endpoint it was seen on.", kind="id", metavar="ID"),
        ),
        update_options=(Option("comment", "The new comment.", required=True, metavar="TEXT"),),
        infer=infer_item_type,
        describe_add=lambda v: f"allow the application with {_matched(v)}",
        describe_update=lambda item_id, v: f"change the comment of allowed item {item_id}",
        help={
            "group": (
                "Applications exempted from detection (by SHA-256, path or certificate signer).",
                [
                    f"{_CLI} allowed-items list -o json",
                    f"{_CLI} allowed-items add --path 'C:\\Tools\\erp.exe' --comment \"ERP\" --yes",
                ],
            ),
            "list": (
                "List allowed applications.",
                [
                    f"{_CLI} allowed-items list",
                    f"{_CLI} allowed-items list --count-by type",
                    "pysophos --all-tenants endpoint settings allowed-items list -o csv "
                    "--output-file allowed.csv",
                ],
            ),
            "get": [f"{_CLI} allowed-items get {SOME_ID} -o json"],
            "add": (
                "Allow an application. The type is taken from the one of --sha256, --path and "
                "--certificate-signer given (or --type when several are). Adding an existing "
                "item exits 4.",
                [
                    f"{_CLI} allowed-items add --sha256 {SHA} --file-name tool.exe "
                    f'--comment "In-house tool" --yes',
                    f'{_CLI} allowed-items add --certificate-signer "Acme Ltd" --comment "Vendor" '
                    f"--yes",
                    f'{_CLI} allowed-items add --path /opt/app/bin/app --comment "App" --dry-run',
                ],
            ),
            "update": (
                "Change an allowed item's comment (the only thing the API lets you change).",
                [f'{_CLI} allowed-items update {SOME_ID} --comment "Approved by CISO" --yes'],
            ),
            "delete": (
                f"Delete allowed items (the applications are detected again).\n\n{DELETE_NOTE}",
                [
                    f"{_CLI} allowed-items delete {SOME_ID} --yes",
                    f"{_CLI} allowed-items list -o json | jq -r '.[].id' | "
                    f"{_CLI} allowed-items delete - --dry-run",
                ],
            ),
        },
    ),
)

BLOCKED_ITEMS: Collection[BlockedItem] = Collection(
    path=f"{SETTINGS}/blocked-items",
    model="pysophoscentralapi.models.endpoint_settings:BlockedItem",
    attribute="settings.blocked_items",
    add=blocked_item_body,
    cli=Cli(
        group="blocked-items",
        noun="blocked item",
        columns=("id", "properties.sha256", "properties.fileName", "comment", "createdAt"),
        add_options=(
            Option("sha256", "SHA-256 of the file.", kind="sha256", required=True, metavar="HASH"),
            _COMMENT,
            _FILE_NAME,
            Option("path", "Path of the file (a detail).", metavar="PATH"),
            Option(
                "type",
                "What the item matches on (the API blocks by SHA-256 only).",
                kind="choice",
                choices=BLOCKED_ITEM_TYPES,
                default="sha256",
            ),
        ),
        describe_add=lambda v: f"block the application with sha256 {v['sha256']}",
        no_update=(
            "the Sophos Central API cannot update a blocked item; delete it and add it again: "
            f"{_CLI} blocked-items delete ID --yes, then "
            f"{_CLI} blocked-items add --sha256 HASH --comment TEXT --yes"
        ),
        help={
            "group": (
                "Applications blocked on every endpoint, by SHA-256.",
                [
                    f"{_CLI} blocked-items list",
                    f'{_CLI} blocked-items add --sha256 <64 hex> --comment "Credential stealer" '
                    f"--yes",
                ],
            ),
            "list": (
                "List blocked applications.",
                [
                    f"{_CLI} blocked-items list",
                    f"{_CLI} blocked-items list -o jsonl --fields properties.sha256,comment",
                ],
            ),
            "get": [f"{_CLI} blocked-items get {SOME_ID}"],
            "add": (
                "Block an application everywhere by its SHA-256. A hash already blocked exits 4.",
                [
                    f"{_CLI} blocked-items add --sha256 {SHA} --file-name evil.exe "
                    f'--comment "Ransomware" --yes'
                ],
            ),
            "update": (
                "Not possible: the API cannot change a blocked item. Delete it and add it again.",
                [
                    f"{_CLI} blocked-items delete {SOME_ID} --yes",
                    f'{_CLI} blocked-items add --sha256 <64 hex> --comment "new comment" --yes',
                ],
            ),
            "delete": (
                f"Unblock applications: delete blocked items.\n\n{DELETE_NOTE}",
                [
                    f"{_CLI} blocked-items delete {SOME_ID} --yes",
                    f"{_CLI} blocked-items delete @ids.txt --dry-run",
                ],
            ),
        },
    ),
)


# --- web-control local sites -----------------------------------------------------------------------


def _category_id(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"category_id: {value!r} is not a web-control category id (a positive integer)"
        )
    return value


def _tags(tags: Sequence[str]) -> builtins.list[str]:
    if isinstance(tags, str) or not all(isinstance(tag, str) and tag.strip() for tag in tags):
        raise ValueError("tags: must be a list of non-empty strings")
    return [str(tag) for tag in tags]


def local_site_update_body(
    *,
    url: str | None = None,
    category_id: int | None = None,
    tags: Sequence[str] | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Change a local site; only the arguments given are sent (at least one is needed)."""
    body: dict[str, Any] = {} if url is None else {"url": check_text(url, "url")}
    if category_id is not None:
        body["categoryId"] = _category_id(category_id)
    if tags is not None:
        body["tags"] = _tags(tags)
    if comment is not None:
        body["comment"] = comment
    return nothing_to_update(body, "url, category_id, tags or comment")


def local_site_body(
    url: str,
    *,
    category_id: int | None = None,
    tags: Sequence[str] | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Add a local site: a URL (domain, IP or range) with its own category and/or tags."""
    check_text(url, "url")
    return local_site_update_body(url=url, category_id=category_id, tags=tags, comment=comment)


_SITE_OPTIONS = (
    Option("category_id", "Web-control category id.", kind="int", metavar="N"),
    Option("tags", "A tag (repeatable, or comma-separated).", kind="tags", metavar="TAG"),
    _WHY,
)

LOCAL_SITES: Collection[LocalSite] = Collection(
    path=f"{SETTINGS}/web-control/local-sites",
    model="pysophoscentralapi.models.endpoint_settings:LocalSite",
    attribute="settings.web_control.local_sites",
    add=local_site_body,
    update=local_site_update_body,
    cli=Cli(
        group="web-control",
        noun="local site",
        columns=("id", "url", "categoryId", "tags", "comment"),
        add_options=(Option("url", "The site.", argument=True), *_SITE_OPTIONS),
        update_options=(Option("url", "The new URL."), *_SITE_OPTIONS),
        help={
            "group": (
                "Web-control local sites: URLs given their own category and/or tags.",
                [
                    f"{_CLI} web-control list",
                    f"{_CLI} web-control add intranet.example.com --tag intranet --yes",
                ],
            ),
            "list": [f"{_CLI} web-control list", f"{_CLI} web-control list --count-by categoryId"],
            "get": [f"{_CLI} web-control get {SOME_ID}"],
            "add": (
                "Add a local site (a domain, URL or IP address) with a category and/or tags.",
                [
                    f"{_CLI} web-control add intranet.example.com --category-id 50 --yes",
                    f"{_CLI} web-control add files.partner.example --tag partners --tag files "
                    f'--comment "Partner share" --yes',
                ],
            ),
            "update": (
                "Change a local site: only the options given are changed (--tag replaces all "
                "tags).",
                [
                    f'{_CLI} web-control update {SOME_ID} --comment "Moved" --yes',
                    f"{_CLI} web-control update {SOME_ID} --category-id 50 --tag intranet --yes",
                ],
            ),
            "delete": (
                f"Delete local sites.\n\n{DELETE_NOTE}",
                [f"{_CLI} web-control delete {SOME_ID} --yes"],
            ),
        },
    ),
)


# --- scanning exclusions ---------------------------------------------------------------------------


def _exclusion_fields(
    body: dict[str, Any], exclusion_type: str | None, scan_mode: str | None, comment: str | None
) -> dict[str, Any]:
    # ``exclusion_type`` is None in an update, whose type is fixed.
    if scan_mode is not None:
        scan_mode = check_choice(scan_mode, "scan_mode", SCAN_MODES)
        if exclusion_type in TYPES_WITHOUT_SCAN_MODE:
            raise ValueError(f"scan_mode: exclusions of type {exclusion_type!r} take no scan mode")
        body["scanMode"] = scan_mode
    if comment is not None:
        body["comment"] = comment
    return body


def scanning_exclusion_body(
    value: str, *, type: str, scan_mode: str | None = None, comment: str | None = None
) -> dict[str, Any]:
    """Add a scanning exclusion of ``type`` (scan mode: the API's default when not given)."""
    exclusion_type = check_choice(type, "type", SCANNING_EXCLUSION_TYPES)
    body = {"value": check_text(value, "value"), "type": exclusion_type}
    return _exclusion_fields(body, exclusion_type, scan_mode, comment)


def scanning_exclusion_update_body(
    *, value: str | None = None, scan_mode: str | None = None, comment: str | None = None
) -> dict[str, Any]:
    """Change a scanning exclusion's value, scan mode or comment (its type is fixed)."""
    body = {} if value is None else {"value": check_text(value, "value")}
    _exclusion_fields(body, None, scan_mode, comment)
    return nothing_to_update(body, "value, scan_mode or comment")


SCANNING_EXCLUSIONS: Collection[ScanningExclusion] = Collection(
    path=f"{SETTINGS}/exclusions/scanning",
    model="pysophoscentralapi.models.endpoint_settings:ScanningExclusion",
    attribute="settings.scanning_exclusions",
    filters=(Filter("type", "Only exclusions of this type.", choices=SCANNING_EXCLUSION_TYPES),),
    add=scanning_exclusion_body,
    update=scanning_exclusion_update_body,
    cli=Cli(
        group="exclusions",
        noun="scanning exclusion",
        columns=("id", "type", "value", "scanMode", "comment", "lockedByManagingAccount"),
        add_options=(
            Option("value", "What to exclude.", argument=True),
            Option(
                "type",
                "Exclusion type.",
                kind="choice",
                choices=SCANNING_EXCLUSION_TYPES,
                required=True,
            ),
            Option(
                "scan_mode",
                "When it applies [default (by the API): onDemandAndOnAccess for paths, "
                "onAccess otherwise; none for behavioral and exploitMitigation].",
                kind="choice",
                choices=SCAN_MODES,
            ),
            _WHY,
        ),
        update_options=(
            Option("value", "The new value."),
            Option("scan_mode", "The new scan mode.", kind="choice", choices=SCAN_MODES),
            Option("comment", "The new comment.", kind="free", metavar="TEXT"),
        ),
        describe_add=lambda v: f"exclude the {v['type']} {v['value']} from scanning",
        help={
            "group": (
                "Scanning exclusions: files, folders, processes, websites... left out of scanning.",
                [
                    f"{_CLI} exclusions list --type path",
                    f"{_CLI} exclusions add 'D:\\Backups\\' --type path --scan-mode onDemand --yes",
                ],
            ),
            "list": [f"{_CLI} exclusions list", f"{_CLI} exclusions list --type process -o csv"],
            "get": [f"{_CLI} exclusions get {SOME_ID}"],
            "add": (
                "Add a scanning exclusion.",
                [
                    f"{_CLI} exclusions add 'D:\\Backups\\' --type path --scan-mode onDemand "
                    f'--comment "Backups" --yes',
                    f"{_CLI} exclusions add /var/lib/postgresql/ --type posixPath --yes",
                    f"{_CLI} exclusions add updates.vendor.example --type web --yes",
                ],
            ),
            "update": (
                "Change a scanning exclusion's value, scan mode or comment (its type is fixed). "
                "Exclusions locked by a partner or enterprise admin cannot be changed (exit 4).",
                [f"{_CLI} exclusions update {SOME_ID} --scan-mode onAccess --yes"],
            ),
            "delete": (
                "Delete scanning exclusions. Those locked by a partner or enterprise admin "
                f"cannot be deleted (reported per id, exit 4).\n\n{DELETE_NOTE}",
                [f"{_CLI} exclusions delete {SOME_ID} --yes"],
            ),
        },
    ),
)

# --- isolation and intrusion-prevention exclusions --------------------------------------------------

_HEX64 = r"^[0-9a-fA-F]{64}$"


def check_hex64_id(value: str, name: str = "id") -> str:
    """An intrusion-prevention exclusion id: 64 hexadecimal characters (not a UUID)."""
    return check_form(value, name, _HEX64, "an id (64 hexadecimal characters)").lower()


def _ports(values: Sequence[int], name: str) -> builtins.list[int]:
    if isinstance(values, str | int):
        raise ValueError(f"{name}: must be a list of port numbers (1..65535)")
    ports = list(values)
    if not all(isinstance(p, int) and not isinstance(p, bool) and 1 <= p <= 65535 for p in ports):
        raise ValueError(f"{name}: must be a list of port numbers (1..65535)")
    return ports


def _addresses(values: Sequence[str]) -> builtins.list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ValueError("remote_addresses: must be a list of non-empty addresses")
    return [v.strip() for v in values]


def network_exclusion_update_body(
    *,
    direction: str | None = None,
    local_ports: Sequence[int] | None = None,
    remote_ports: Sequence[int] | None = None,
    remote_addresses: Sequence[str] | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Change an isolation or intrusion-prevention exclusion: only the arguments given are sent
    (a list replaces the old one)."""
    body: dict[str, Any] = {}
    if direction is not None:
        body["direction"] = check_choice(direction, "direction", EXCLUSION_DIRECTIONS)
    if local_ports is not None:
        body["localPorts"] = _ports(local_ports, "local_ports")
    if remote_ports is not None:
        body["remotePorts"] = _ports(remote_ports, "remote_ports")
    if remote_addresses is not None:
        body["remoteAddresses"] = _addresses(remote_addresses)
    if comment is not None:
        body["comment"] = comment
    return nothing_to_update(
        body, "direction, local_ports, remote_ports, remote_addresses or comment"
    )


def network_exclusion_body(
    *,
    direction: str,
    local_ports: Sequence[int] | None = None,
    remote_ports: Sequence[int] | None = None,
    remote_addresses: Sequence[str] | None = None,
    comment: str | None = None,
) -> dict[str, Any]:
    """Exclude traffic in ``direction`` (``inbound``, ``outbound``, ``both``) on some ports
    and/or with some remote addresses (at least one of them)."""
    if not (local_ports or remote_ports or remote_addresses):
        raise ValueError("give local_ports, remote_ports or remote_addresses (at least one)")
    return network_exclusion_update_body(
        direction=direction,
        local_ports=local_ports,
        remote_ports=remote_ports,
        remote_addresses=remote_addresses,
        comment=comment,
    )


def _network_options(new: bool) -> tuple[Option, ...]:
    what = "The new" if not new else "A"
    return (
        Option(
            "direction", "Which traffic." if new else "The new direction.", kind="choice",
            choices=EXCLUSION_DIRECTIONS, required=new,
        ),
        Option("local_ports", f"{what} local port (repeatable).", kind="ints", maximum=65535,
               cli_flag="--local-port", metavar="PORT"),
        Option("remote_ports", f"{what} remote port (repeatable).", kind="ints", maximum=65535,
               cli_flag="--remote-port", metavar="PORT"),
        Option("remote_addresses", f"{what} remote address or range (repeatable).",
               kind="texts", cli_flag="--remote-address", metavar="ADDR"),
        _WHY,
    )  # fmt: skip


def _network_exclusions(
    *, group: str, noun: str, path: str, attribute: str, what: str, id_check: Any = None
) -> Collection[NetworkExclusion]:
    example_id = (
        "9a3bcc49162be5f51b4c4f2210e4965c4856a88d225a4a9ce79239e144869fdf" if id_check else SOME_ID
    )
    return Collection(
        path=f"{SETTINGS}/exclusions/{path}",
        model="pysophoscentralapi.models.endpoint_settings:NetworkExclusion",
        attribute=attribute,
        add=network_exclusion_body,
        update=network_exclusion_update_body,
        id_check=id_check,
        cli=Cli(
            group=group,
            noun=noun,
            columns=(
                "id",
                "direction",
                "localPorts",
                "remotePorts",
                "remoteAddresses",
                "comment",
            ),
            add_options=_network_options(True),
            update_options=_network_options(False),
            describe_add=lambda v: f"add an {noun} ({v['direction']})",
            help={
                "group": (
                    f"{noun[0].upper()}{noun[1:]}s: traffic {what}, by direction, ports and "
                    "remote addresses.",
                    [
                        f"{_CLI} {group} list",
                        f"{_CLI} {group} add --direction both --local-port 443 --yes",
                    ],
                ),
                "add": (
                    f"Add an {noun} (give ports and/or remote addresses).",
                    [
                        f"{_CLI} {group} add --direction inbound --local-port 3389 "
                        f'--remote-address 10.50.100.100 --comment "Support desk" --yes',
                        f"{_CLI} {group} add --direction outbound --remote-port 443 --dry-run",
                    ],
                ),
                "update": (
                    f"Change an {noun}: only the options given change (a repeated option "
                    "replaces the whole list).",
                    [f"{_CLI} {group} update {example_id} --direction both --yes"],
                ),
                "delete": (
                    f"Delete {noun}s.\n\n{DELETE_NOTE}",
                    [f"{_CLI} {group} delete {example_id} --yes"],
                ),
            },
        ),
    )


ISOLATION_EXCLUSIONS = _network_exclusions(
    group="isolation-exclusions",
    noun="isolation exclusion",
    path="isolation",
    attribute="settings.isolation_exclusions",
    what="an isolated endpoint may still exchange",
)
INTRUSION_PREVENTION_EXCLUSIONS = _network_exclusions(
    group="ips-exclusions",
    noun="intrusion-prevention exclusion",
    path="intrusion-prevention",
    attribute="settings.intrusion_prevention_exclusions",
    what="intrusion prevention does not inspect",
    id_check=check_hex64_id,
)

# --- blocked addresses -----------------------------------------------------------------------------


def check_address(value: str) -> str:
    """An IPv4/IPv6 address, a network (``1.2.0.0/17``) or a range (``1.3.2.3-1.3.2.6``).

    >>> check_address("1.3.2.3-1.3.2.6")
    '1.3.2.3-1.3.2.6'
    """
    import ipaddress  # only a check needs it, not the declarations (nor so --help)

    text = str(value).strip()
    try:
        if "-" in text:
            first, last = (ipaddress.ip_address(part.strip()) for part in text.split("-", 1))
            if first.version != last.version or int(first) > int(last):
                raise ValueError(text)
        elif "/" in text:
            ipaddress.ip_network(text, strict=False)
        else:
            ipaddress.ip_address(text)
    except ValueError:
        raise ValueError(
            f"address: {value!r} is not an IP address, network (a.b.c.d/n) or range (a-b)"
        ) from None
    return text


BLOCKED_ADDRESSES: Collection[BlockedAddress] = Collection(
    path=f"{SETTINGS}/blocked-addresses",
    model="pysophoscentralapi.models.endpoint_settings:BlockedAddress",
    attribute="settings.blocked_addresses",
    gettable=False,
    deletable=False,
    filters=(
        Filter(
            "sort",
            "Sort by item, createdAt or blockedUntil.",
            kind="sort",
            choices=BLOCKED_ADDRESS_SORT_FIELDS,
            on_cli=False,
        ),
    ),
    cli=Cli(
        group="blocked-addresses",
        noun="blocked address",
        columns=("id", "item", "createdAt", "blockedUntil"),
        help={
            "group": (
                "IP addresses, networks and ranges blocked from talking to the endpoints.",
                [
                    f"{_CLI} blocked-addresses list",
                    f"{_CLI} blocked-addresses add 203.0.113.7 198.51.100.0/24 --yes",
                ],
            ),
            "list": (
                "List blocked addresses (newest first).",
                [f"{_CLI} blocked-addresses list", f"{_CLI} blocked-addresses list -o csv"],
            ),
        },
    ),
)

# --- exploit mitigation, peripherals, TLS decryption exclusions -------------------------------------

EXPLOIT_MITIGATION = f"{SETTINGS}/exploit-mitigation"
_EXAMPLE_PATH = "$programfiles\\FooApp\\foo.exe"


def _paths(paths: Sequence[str]) -> builtins.list[str]:
    if isinstance(paths, str):
        paths = [paths]
    checked = [check_text(path, "paths") for path in paths]
    if not checked:
        raise ValueError("paths: give at least one path")
    return checked


def exploit_application_update_body(
    *,
    paths: Sequence[str] | None = None,
    protected: bool | None = None,
    settings: dict[str, bool] | None = None,
) -> dict[str, Any]:
    """Change an application's paths, or its protection (``protected``, ``settings`` such as
    ``{"HeapSpray": False}``)."""
    body: dict[str, Any] = {} if paths is None else {"paths": _paths(paths)}
    modifications: dict[str, Any] = {}
    if protected is not None:
        if not isinstance(protected, bool):
            raise ValueError("protected: must be True or False")
        modifications["protected"] = protected
    if settings is not None:
        if not all(isinstance(k, str) and isinstance(v, bool) for k, v in settings.items()):
            raise ValueError("settings: must map mitigation names to True or False")
        modifications["settings"] = dict(settings)
    if modifications:
        body["modifications"] = modifications
    return nothing_to_update(body, "paths, protected or settings")


def exploit_application_body(paths: Sequence[str]) -> dict[str, Any]:
    """Protect an application (a custom one) by its paths; one already known is 409."""
    return {"paths": _paths(paths)}


def _mitigation_switches(values: Sequence[str]) -> dict[str, bool]:
    """The CLI's ``--setting NAME=true|false`` values."""
    switches: dict[str, bool] = {}
    for text in values:
        name, _, raw = text.partition("=")
        if raw.lower() not in ("true", "false") or not name.strip():
            raise ValueError(f"--setting: {text!r} is not NAME=true or NAME=false")
        switches[name.strip()] = raw.lower() == "true"
    return switches


def exploit_application_cli_values(values: dict[str, Any]) -> dict[str, Any]:
    """The CLI's update values as the library's: ``--setting NAME=true`` -> ``{NAME: True}``."""
    if values.get("settings") is None:
        return values
    return {**values, "settings": _mitigation_switches(values["settings"])}


_EM = f"{_CLI} exploit-mitigation"
EXPLOIT_APPLICATIONS: Collection[ExploitMitigationApplication] = Collection(
    path=f"{EXPLOIT_MITIGATION}/applications",
    model="pysophoscentralapi.models.endpoint_settings:ExploitMitigationApplication",
    attribute="settings.exploit_mitigation.applications",
    filters=(
        Filter("type", "Only detected or custom applications.", choices=EXPLOIT_APPLICATION_TYPES),
        Filter("modified", "Only those customised (or not).", kind="bool"),
    ),
    add=exploit_application_body,
    update=exploit_application_update_body,
    cli=Cli(
        group="exploit-mitigation",
        noun="exploit-mitigation application",
        columns=("id", "name", "type", "category", "paths", "modifications.protected"),
        add_options=(
            Option(
                "paths",
                "A path of the application (repeatable).",
                kind="texts",
                cli_flag="--path",
                required=True,
                metavar="PATH",
            ),
        ),
        update_options=(
            Option(
                "paths",
                "A new path (repeatable; replaces them all).",
                kind="texts",
                cli_flag="--path",
                metavar="PATH",
            ),
            Option("protected", "Protect it / stop protecting it.", kind="bool"),
            Option(
                "settings",
                "A mitigation: NAME=true|false (repeatable).",
                kind="texts",
                cli_flag="--setting",
                metavar="NAME=BOOL",
            ),
        ),
        describe_add=lambda v: f"protect the application at {', '.join(v['paths'])}",
        adapt_update=exploit_application_cli_values,
        help={
            "group": (
                "Exploit mitigation: the applications it protects (detected or custom), their "
                "categories.",
                [f"{_EM} list --type detected", f"{_EM} categories"],
            ),
            "list": (
                "List protected applications (--modified: only those customised).",
                [f"{_EM} list", f"{_EM} list --count-by category"],
            ),
            "add": (
                "Protect a custom application by its paths (a known one exits 4).",
                [f"{_EM} add --path '{_EXAMPLE_PATH}' --yes"],
            ),
            "update": (
                "Change an application's paths or protection.",
                [
                    f"{_EM} update {SOME_ID} --no-protected --yes",
                    f"{_EM} update {SOME_ID} --setting HeapSpray=false --yes",
                ],
            ),
            "delete": (
                f"Delete custom applications (a detected one exits 4).\n\n{DELETE_NOTE}",
                [f"{_EM} delete {SOME_ID} --yes"],
            ),
        },
    ),
)

_HEX64_THUMB = "2b9a2f1b" * 8
DETECTED_EXPLOITS: Collection[DetectedExploit] = Collection(
    path=f"{EXPLOIT_MITIGATION}/detected-exploits",
    model="pysophoscentralapi.models.endpoint_settings:DetectedExploit",
    attribute="settings.exploit_mitigation.detected_exploits",
    deletable=False,
    filters=(
        Filter(
            "thumbprint_not_in", "Leave out these thumbprints.", param="thumbprintNotIn", kind="csv"
        ),
    ),
    cli=Cli(
        group="detected-exploits",
        noun="detected exploit",
        columns=("id", "thumbprint", "count", "description", "lastSeenAt", "lastEndpoint.hostname"),
        help={
            "group": (
                "Exploits detected on the endpoints (exclude one with a scanning exclusion of "
                "type exploitMitigation and its thumbprint).",
                [f"{_CLI} detected-exploits list"],
            ),
            "list": [
                f"{_CLI} detected-exploits list",
                f"{_CLI} detected-exploits list --thumbprint-not-in {_HEX64_THUMB}",
            ],
        },
    ),
)

PERIPHERALS: Collection[Peripheral] = Collection(
    path=f"{SETTINGS}/peripheral-control/peripherals",
    model="pysophoscentralapi.models.endpoint_settings:Peripheral",
    attribute="settings.peripherals",
    deletable=False,
    filters=(
        Filter("type", "Only these peripheral types (repeatable).", kind="csv"),
        Filter(
            "last_seen_after",
            "Only those last seen from this time on (ISO 8601).",
            param="lastSeenAfter",
        ),
        Filter(
            "last_seen_before",
            "Only those last seen before this time (ISO 8601).",
            param="lastSeenBefore",
        ),
    ),
    cli=Cli(
        group="peripherals",
        noun="peripheral",
        columns=(
            "id",
            "type",
            "category",
            "model",
            "lastEndpointHostname",
            "lastActionTaken",
            "lastSeenAt",
        ),
        help={
            "group": (
                "Peripherals peripheral control has seen (storage, network, Bluetooth...).",
                [f"{_CLI} peripherals list --type removableStorage"],
            ),
            "list": [f"{_CLI} peripherals list", f"{_CLI} peripherals list --count-by type"],
        },
    ),
)

EXCLUDED_WEBSITES: Collection[ExcludedWebsite] = Collection(
    path=f"{SETTINGS}/web-control/tls-decryption/excluded-websites",
    model="pysophoscentralapi.models.endpoint_settings:ExcludedWebsite",
    attribute="settings.web_control.tls_decryption.excluded_websites",
    gettable=False,
    deletable=False,
    cli=Cli(
        group="tls-excluded-websites",
        noun="excluded website",
        columns=("value", "comment"),
        help={
            "group": (
                "Websites TLS decryption leaves alone.",
                [
                    f"{_CLI} tls-excluded-websites list",
                    f"{_CLI} tls-excluded-websites add bank.example --comment Banking --yes",
                ],
            ),
        },
    ),
)

TLS_DECRYPTION = f"{SETTINGS}/web-control/tls-decryption"


def _website(entry: str | tuple[str, str]) -> dict[str, str]:
    value, comment = (entry, None) if isinstance(entry, str) else entry
    site = {"value": check_text(value, "website")}
    return site if comment is None else {**site, "comment": str(comment)}


def excluded_websites_body(
    *, add: Sequence[str | tuple[str, str]] = (), remove: Sequence[str | tuple[str, str]] = ()
) -> dict[str, Any]:
    """The PATCH body adding/removing excluded websites (``value`` or ``(value, comment)``)."""
    if isinstance(add, str) or isinstance(remove, str):
        raise ValueError("add/remove: give lists of websites")
    if not add and not remove:
        raise ValueError("give websites to add or to remove")
    return {"add": [_website(e) for e in add], "remove": [_website(e) for e in remove]}


def tls_categories_body(categories: Mapping[int, bool]) -> dict[str, Any]:
    """``{category id: decrypt?}`` as the API's ``categories`` list."""
    if not categories:
        raise ValueError("categories: give at least one {category id: True/False}")
    rows = []
    for category_id, enabled in categories.items():
        if isinstance(category_id, bool) or not isinstance(category_id, int) or category_id < 1:
            raise ValueError(f"categories: {category_id!r} is not a web category id")
        if not isinstance(enabled, bool):
            raise ValueError(f"categories: {category_id}: give True or False")
        rows.append({"id": category_id, "decryptionEnabled": enabled})
    return {"categories": rows}


def event_journal_path(endpoint_type: str) -> str:
    """The event-journal settings path of ``computer`` or ``server``."""
    kind = check_choice(endpoint_type, "endpoint_type", EVENT_JOURNAL_ENDPOINT_TYPES)
    return f"{SETTINGS}/event-journal/{kind}"


def event_journal_body(
    *,
    use_recommended: bool | None = None,
    disk_space_limit_in_mb: int | None = None,
    disk_space_limit_as_percentage: int | None = None,
) -> dict[str, Any]:
    """The PATCH body of the event-journal settings (only the arguments given)."""
    body: dict[str, Any] = {}
    if use_recommended is not None:
        if not isinstance(use_recommended, bool):
            raise ValueError("use_recommended: must be True or False")
        body["useRecommended"] = use_recommended
    limits = (
        ("disk_space_limit_in_mb", "diskSpaceLimitInMB", disk_space_limit_in_mb, None),
        ("disk_space_limit_as_percentage", "diskSpaceLimitAsPercentage",
         disk_space_limit_as_percentage, 100),
    )  # fmt: skip
    for name, key, value, top in limits:
        if value is None:
            continue
        too_big = top is not None and isinstance(value, int) and value > top
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or too_big:
            raise ValueError(f"{name}: {value!r} is not a whole number within 0..{top or 'any'}")
        body[key] = value
    return nothing_to_update(
        body, "use_recommended, disk_space_limit_in_mb or disk_space_limit_as_percentage"
    )


#: The settings lists, in the CLI's order.
SETTINGS_COLLECTIONS: tuple[Collection[Any], ...] = (
    ALLOWED_ITEMS,
    BLOCKED_ITEMS,
    LOCAL_SITES,
    SCANNING_EXCLUSIONS,
    ISOLATION_EXCLUSIONS,
    INTRUSION_PREVENTION_EXCLUSIONS,
    BLOCKED_ADDRESSES,
    EXPLOIT_APPLICATIONS,
    DETECTED_EXPLOITS,
    PERIPHERALS,
    EXCLUDED_WEBSITES,
)
