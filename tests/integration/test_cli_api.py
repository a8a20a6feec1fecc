"""``pysophos api`` end to end against the emulator over HTTP: methods, paging, routing per
credential, ``--all-tenants``, confirmations, ``--dry-run``, the host allow-list, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli


@pytest.fixture
def emu(make_emulator: Callable[..., Any]) -> Any:
    return make_emulator(endpoints=30, alerts=12)


def cli_for(isolated_env: dict[str, str], emulator: Any, kind: str = "tenant") -> Cli:
    return Cli(env={**isolated_env, **emulator.env(kind)})


@pytest.fixture
def tenant_cli(isolated_env: dict[str, str], emu: Any) -> Cli:
    return cli_for(isolated_env, emu)


def ok_json(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def jsonl(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def sent(emu: Any, method: str, path_part: str) -> list[Any]:
    return [r for r in emu.state.requests if r.method == method and path_part in r.path]


def first_endpoint(cli: Cli) -> str:
    answer = ok_json(cli("api", "/endpoint/v1/endpoints", "-F", "pageSize=1"))
    return str(answer["items"][0]["id"])


# --- GET and paging --------------------------------------------------------------------------


def test_get_prints_the_answer_as_sent(tenant_cli: Cli, emu: Any) -> None:
    answer = ok_json(tenant_cli("api", "/endpoint/v1/endpoints", "-f", "healthStatus=bad"))
    assert set(answer) == {"items", "pages"}
    assert answer["items"]
    assert {item["health"]["overall"] for item in answer["items"]} == {"bad"}
    (record,) = sent(emu, "GET", "/endpoint/v1/endpoints")
    assert record.path.startswith("/region/")
    assert "healthStatus=bad" in record.query


def test_key_paging_streams_every_item(tenant_cli: Cli, emu: Any) -> None:
    result = tenant_cli(
        "api", "/endpoint/v1/endpoints", "-F", "pageSize=7", "--paginate", "-o", "jsonl"
    )
    items = jsonl(result)
    assert len(items) == 30
    assert len({item["id"] for item in items}) == 30
    requests = sent(emu, "GET", "/endpoint/v1/endpoints")
    assert len(requests) == 5  # 7 + 7 + 7 + 7 + 2
    assert all("pageFromKey" in r.query for r in requests[1:])


def test_page_number_paging_streams_every_item(tenant_cli: Cli, emu: Any) -> None:
    everything = ok_json(tenant_cli("api", "/common/v1/directory/users", "-F", "pageSize=100"))
    total = len(everything["items"])
    assert total > 6
    result = tenant_cli(
        "api", "/common/v1/directory/users", "-F", "pageSize=3", "--paginate", "-o", "jsonl"
    )
    assert [item["id"] for item in jsonl(result)] == [item["id"] for item in everything["items"]]
    pages = [r.query for r in sent(emu, "GET", "/directory/users")][1:]
    assert "page=2" in pages[1]


def test_fields_and_formats_apply_to_the_items(tenant_cli: Cli) -> None:
    result = tenant_cli(
        "api", "/endpoint/v1/endpoints", "--paginate", "-o", "csv", "--fields", "id,health.overall"
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "id,health.overall"
    assert len(lines) == 31


def test_a_full_url_on_the_data_region_host_works(tenant_cli: Cli, emu: Any) -> None:
    region = emu.state.demo_tenant.region
    url = f"{emu.url}/region/{region}/endpoint/v1/endpoints?pageSize=2"
    assert len(ok_json(tenant_cli("api", url))["items"]) == 2


def test_an_api_the_emulator_lacks_answers_the_apis_404(tenant_cli: Cli) -> None:
    result = tenant_cli("api", "/firewall/v1/firewalls")
    assert result.exit_code == 4
    assert "HTTP 404 notFound: Resource not found." in result.stderr
    assert result.stdout == ""


# --- state-changing methods ------------------------------------------------------------------


def test_post_patch_delete(tenant_cli: Cli, emu: Any) -> None:
    target = first_endpoint(tenant_cli)
    scan = ok_json(
        tenant_cli(
            "api", "-X", "POST", "/endpoint/v1/endpoints/{id}/scans", "-f", f"id={target}", "--yes"
        )
    )
    assert scan["status"] == "requested"
    isolation = ok_json(
        tenant_cli(
            "api",
            "-X",
            "PATCH",
            f"/endpoint/v1/endpoints/{target}/isolation",
            "-F",
            "enabled=true",
            "-f",
            "comment=INC-20",
            "--yes",
        )
    )
    assert (isolation["enabled"], isolation["comment"]) == (True, "INC-20")
    (patch,) = sent(emu, "PATCH", "/isolation")
    assert patch.status == 200
    deleted = ok_json(
        tenant_cli("api", "-X", "delete", f"/endpoint/v1/endpoints/{target}", "--yes")
    )
    assert deleted == {"deleted": True}
    gone = tenant_cli("api", f"/endpoint/v1/endpoints/{target}")
    assert gone.exit_code == 4


def test_a_json_body_from_input(tenant_cli: Cli, tmp_path: Path) -> None:
    body = tmp_path / "search.json"
    body.write_text(json.dumps({"severity": ["high"]}))
    result = tenant_cli(
        "api", "-X", "POST", "/common/v1/alerts/search", "--input", str(body), "--paginate",
        "--yes", "-o", "jsonl",
    )  # fmt: skip
    alerts = jsonl(result)
    assert alerts
    assert {alert["severity"] for alert in alerts} == {"high"}


def test_state_changing_requests_need_confirmation(tenant_cli: Cli, emu: Any) -> None:
    target = first_endpoint(tenant_cli)
    result = tenant_cli("api", "-X", "POST", f"/endpoint/v1/endpoints/{target}/scans")
    assert result.exit_code == 2
    assert "pass --yes" in result.stderr
    assert sent(emu, "POST", "/scans") == []


def test_dry_run_prints_the_request_and_sends_nothing(tenant_cli: Cli, emu: Any) -> None:
    target = first_endpoint(tenant_cli)
    result = tenant_cli(
        "api", "-X", "POST", "/endpoint/v1/endpoints/{id}/scans", "-f", f"id={target}", "--dry-run"
    )
    assert result.exit_code == 0, result.stderr
    region = emu.state.demo_tenant.region
    assert result.stdout.strip() == (
        f"DRY RUN: POST {emu.url}/region/{region}/endpoint/v1/endpoints/{target}/scans {{}}"
    )
    assert sent(emu, "POST", "/scans") == []


# --- routing per credential ------------------------------------------------------------------


def test_partner_paths_with_partner_credentials(isolated_env: dict[str, str], emu: Any) -> None:
    partner = cli_for(isolated_env, emu, "partner")
    tenants = jsonl(
        partner("api", "/partner/v1/tenants", "--paginate", "-F", "pageSize=2", "-o", "jsonl")
    )
    assert len(tenants) == len(emu.state.tenants)
    assert sent(emu, "GET", "/partner/v1/tenants")
    # A tenant API through --tenant goes to that tenant's data region.
    other = emu.state.tenants[1]
    listing = ok_json(
        partner("--tenant", other.id, "api", "/endpoint/v1/endpoints", "-F", "pageSize=1")
    )
    assert listing["items"][0]["tenant"]["id"] == other.id
    assert sent(emu, "GET", f"/region/{other.region}/endpoint/v1/endpoints")
    # {tenantId} is the tenant acted on.
    one = ok_json(partner("--tenant", other.id, "api", "/partner/v1/tenants/{tenantId}"))
    assert one["id"] == other.id
    organization_api = partner("api", "/organization/v1/tenants")
    assert organization_api.exit_code == 3
    assert "this is a partner credential" in organization_api.stderr


def test_organization_paths_with_organization_credentials(
    isolated_env: dict[str, str], emu: Any
) -> None:
    organization = cli_for(isolated_env, emu, "organization")
    answer = ok_json(organization("api", "/organization/v1/tenants"))
    assert len(answer["items"]) == len(emu.state.tenants)
    assert organization("api", "/partner/v1/tenants").exit_code == 3


def test_tenant_credentials_reach_whoami_and_their_tenant(tenant_cli: Cli, emu: Any) -> None:
    who = ok_json(tenant_cli("api", "/whoami/v1"))
    assert (who["id"], who["idType"]) == (emu.state.demo_tenant.id, "tenant")
    result = tenant_cli("api", "/partner/v1/tenants")
    assert result.exit_code == 3
    assert "partner" in result.stderr


def test_all_tenants_tags_each_answer(isolated_env: dict[str, str], emu: Any) -> None:
    partner = cli_for(isolated_env, emu, "partner")
    result = partner(
        "--all-tenants", "api", "/endpoint/v1/settings/tamper-protection", "-o", "jsonl"
    )
    assert result.exit_code == 6  # the emulator's inactive and refusing tenants
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    reachable = list(emu.state.tenants[:-2])
    assert sorted(row["tenant_id"] for row in rows) == sorted(t.id for t in reachable)
    assert all(isinstance(row["enabled"], bool) and row["tenant_name"] for row in rows)
    for tenant in emu.state.tenants[-2:]:  # refused, or skipped for want of an apiHost
        assert tenant.id in result.stderr

    skip = [arg for t in emu.state.tenants[-2:] for arg in ("--exclude-tenant", t.id)]
    paged = partner(
        "--all-tenants", *skip, "api", "/endpoint/v1/endpoints", "--paginate", "-o", "jsonl",
        "--fields", "tenant_id,id",
    )  # fmt: skip
    assert paged.exit_code == 0, paged.stderr
    counted: dict[str, int] = {}
    for row in jsonl(paged):
        counted[row["tenant_id"]] = counted.get(row["tenant_id"], 0) + 1
    assert counted == {t.id: len(t.endpoints) for t in reachable}


def test_all_tenants_dry_run_shows_one_request_per_tenant(
    isolated_env: dict[str, str], emu: Any
) -> None:
    partner = cli_for(isolated_env, emu, "partner")
    skip = [arg for t in emu.state.tenants[-2:] for arg in ("--exclude-tenant", t.id)]
    result = partner(
        "--all-tenants", *skip, "api", "-X", "PATCH", "/endpoint/v1/settings/tamper-protection",
        "-F", "enabled=false", "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(emu.state.tenants) - 2
    assert all(
        line.startswith("DRY RUN: PATCH ") and '{"enabled": false}' in line for line in lines
    )
    assert sent(emu, "PATCH", "/tamper-protection") == []


# --- refusals ----------------------------------------------------------------------------------


def test_a_full_url_on_a_foreign_host_is_refused_without_sending_the_token(
    isolated_env: dict[str, str], make_emulator: Callable[..., Any], emu: Any
) -> None:
    foreign = make_emulator(endpoints=1)
    region = foreign.state.demo_tenant.region
    result = cli_for(isolated_env, emu)(
        "api", f"{foreign.url}/region/{region}/endpoint/v1/endpoints"
    )
    assert result.exit_code == 2
    assert "refusing to send the API token" in result.stderr
    assert foreign.state.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "novalue"], "expected KEY=VALUE"),
        (["-F", "a[=1"], "is not a field name"),
        (["-F", "comment=@/nonexistent/note.txt"], "cannot read"),
        (["-f", "a=1", "-f", "a[b]=2"], "is not an object"),
        (["-H", "Authorization: Bearer stolen"], "Authorization is set by pysophoscentralapi"),
        (["-H", "X-Tenant-ID: 00000000-0000-4000-8000-000000000000"], "--tenant"),
        (["-H", "no colon here"], "expected 'Name: value'"),
        (["-X", "FETCH"], "must be one of GET, POST"),
        (["--input", "-"], "a GET has no body"),
        (["-F", "filter[x]=1"], "cannot go in a query string"),
    ],
)
def test_bad_input_is_a_usage_error(
    tenant_cli: Cli, emu: Any, args: list[str], message: str
) -> None:
    result = tenant_cli("api", "/endpoint/v1/endpoints", *args, input='{"a": 1}')
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert emu.state.requests == []


def test_an_unfilled_placeholder_is_named(tenant_cli: Cli, emu: Any) -> None:
    result = tenant_cli("api", "/common/v1/directory/users/:userId/groups")
    assert result.exit_code == 2
    assert "{userId} not filled in" in result.stderr
    assert emu.state.requests == []


def test_debug_shows_the_trace(tenant_cli: Cli) -> None:
    result = tenant_cli("--debug", "api", "/endpoint/v1/settings/tamper-protection")
    assert result.exit_code == 0, result.stderr
    assert "debug: GET " in result.stderr
    assert "/endpoint/v1/settings/tamper-protection -> 200" in result.stderr
    assert "Bearer" not in result.stderr


def test_help_has_examples(cli_run: Cli) -> None:
    result = cli_run("api", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "--paginate" in result.stdout


def test_paginate_on_an_answer_that_is_not_a_listing(tenant_cli: Cli) -> None:
    result = tenant_cli("api", "/endpoint/v1/settings/tamper-protection", "--paginate")
    assert result.exit_code == 2
    assert "not a listing; leave out --paginate" in result.stderr
    assert result.stdout == ""


def test_tenant_apis_of_the_global_host(isolated_env: dict[str, str], emu: Any) -> None:
    tokens = ok_json(cli_for(isolated_env, emu)("api", "/accounts/v1/access-tokens"))
    assert "items" in tokens
    assert sent(emu, "GET", "/accounts/v1/access-tokens")[0].path == "/accounts/v1/access-tokens"
    partner = cli_for(isolated_env, emu, "partner")
    firewalls = ok_json(partner("api", "/licenses/v1/licenses/firewalls"))  # X-Partner-ID
    assert "items" in firewalls
    tenant = emu.state.tenants[0]
    licenses = ok_json(partner("--tenant", tenant.id, "api", "/licenses/v1/licenses"))
    assert licenses["tenant"]["id"] == tenant.id
