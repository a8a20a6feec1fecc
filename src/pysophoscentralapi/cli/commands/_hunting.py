"""What the hunting commands share: waiting for a run (a spinner on a terminal), writing its rows
with the columns of the result's schema, ``--all-tenants`` hunts, and the one command tree of the
two SQL query APIs (``pysophos xdr`` and ``pysophos live-discover``, built from a :class:`QuerySpec`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from pysophoscentralapi._timeparams import DEFAULT_WAIT_SECONDS
from pysophoscentralapi.cli._context import CliContext
from pysophoscentralapi.cli._output import OutputOptions, output_options, record_options
from pysophoscentralapi.cli._params import (
    argument_text,
    ids_from_arguments,
    one_record,
    time_option,
    value_errors_as_usage,
)
from pysophoscentralapi.cli._results import RESULT_COLUMNS, act_on_each, many_targets
from pysophoscentralapi.cli._safety import Change

if TYPE_CHECKING:
    from pysophoscentralapi._sync._client import SophosCentral
    from pysophoscentralapi._sync._query_runs import QueryRun, ResultPaginator

__all__ = ["QuerySpec", "query_group", "wait_options", "write_run"]

RUN_COLUMNS = ["id", "status", "result", "name", "createdAt", "finishedAt"]
#: a query run, as xdr, live-discover and detections show it
RUN_MODEL = "pysophoscentralapi.models.queries:RunInfo"
QUERY_COLUMNS = ["name", "type", "id", "categories.id"]
CATEGORY_COLUMNS = ["name", "type", "queryCount", "id"]

StartRun = Callable[["SophosCentral"], "QueryRun"]


# --- waiting and writing -------------------------------------------------------------------------


@contextmanager
def _spinner(label: str) -> Iterator[Callable[[QueryRun], None] | None]:
    """A spinner with the run's status on stderr, only on a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status(f"{label}: starting") as status:

        def show(run: QueryRun) -> None:
            status.update(f"{label} {run.id}: {run.status}")

        yield show


def wait_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--wait/--no-wait`` and ``--timeout`` of commands that start a run."""
    command = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=DEFAULT_WAIT_SECONDS,
        show_default=True,
        metavar="SECONDS",
        help="Give up waiting after this long (the run goes on; its id is shown to fetch it later).",
    )(command)
    return click.option(
        "--wait/--no-wait",
        default=True,
        help="Wait for the run and print its rows [default], or print the started run and return.",
    )(command)


def _rows_with_schema(
    output: OutputOptions, results: ResultPaginator[Any]
) -> tuple[OutputOptions, Iterator[dict[str, Any]]]:
    """The output options with the result's columns as table columns, and every row."""
    rows = iter(results.raw_items())
    first = next(rows, None)
    names = tuple(str(c.get("name")) for c in results.columns or () if c.get("name"))
    if not names and first is not None:
        names = tuple(first)
    if names and not output.columns:
        output = output._replace(columns=names)
    return output, chain([first] if first is not None else [], rows)


def write_run(
    cli: CliContext,
    output: OutputOptions,
    start: StartRun,
    *,
    label: str,
    wait: bool,
    timeout: float,
) -> None:
    """Start a run (in every tenant with ``--all-tenants``), wait for it and write its rows."""
    if cli.all_tenants:
        if not wait:
            raise click.UsageError("--all-tenants hunts wait for every tenant; drop --no-wait")
        _write_all_tenants(cli, output, start, timeout=timeout, label=label)
        return
    with value_errors_as_usage():
        run = start(cli.client())
    if not wait:
        cli.write_object(output, run.info.to_api(), title=f"{label} run")
        return
    with _spinner(label) as on_status:
        run.wait(timeout, on_status=on_status)
    output, rows = _rows_with_schema(output, run.results())
    cli.write_rows(output, rows, title=f"{label} results")


def _write_all_tenants(
    cli: CliContext, output: OutputOptions, start: StartRun, *, timeout: float, label: str
) -> None:
    """Each tenant's run starts, waits and streams its rows in a worker, all concurrently;
    rows carry ``tenant_id``/``tenant_name``; failed tenants are listed and the exit is 6."""
    from pysophoscentralapi.cli._tenants import write_all_tenants

    def fetch(client: SophosCentral) -> Any:
        run = start(client)
        run.wait(timeout)
        return run.results()

    write_all_tenants(cli, output, fetch, title=f"{label} results")


def write_results_of(cli: CliContext, output: OutputOptions, run: QueryRun, *, label: str) -> None:
    """The rows of a run that has finished (``runs results ID``)."""
    if not run.finished:
        raise click.UsageError(
            f"run {run.id} is still {run.status}; wait for it with: "
            f"pysophos {run.api.command} runs get {run.id}"
        )
    from pysophoscentralapi._polling import check_finished_run

    check_finished_run(run.info, label=label)
    output, rows = _rows_with_schema(output, run.results())
    cli.write_rows(output, rows, title=f"{label} results")


# --- the SQL query APIs' command tree --------------------------------------------------------------


# A named tuple rather than a frozen dataclass: several times cheaper to declare, and every
# `xdr` and `live-discover` --help declares it.
class QuerySpec(NamedTuple):
    """What differs between ``pysophos xdr`` and ``pysophos live-discover``."""

    command: str
    attribute: str
    label: str
    summary: str
    example_sql: str
    example_saved: str
    #: A run the emulator seeds (the id is stable for the default seed), for the examples.
    example_run: str
    time_range: bool = False
    can_cancel: bool = False
    has_endpoints: bool = False


def _variables(values: tuple[str, ...]) -> dict[str, str] | None:
    parsed: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="'--var'")
        parsed[name.strip()] = text
    return parsed or None


def query_group(spec: QuerySpec) -> click.Group:
    """The ``query``, ``runs``, ``queries`` and ``categories`` commands of one query API."""
    name = spec.command

    def family(cli: CliContext) -> Any:
        return getattr(cli.client(), spec.attribute)

    @click.group(
        name,
        help=f"""{spec.summary}

\b
Examples:
  pysophos {name} query "{spec.example_sql}"
  pysophos {name} query --saved "{spec.example_saved}" -o csv
  pysophos --all-tenants {name} query --saved "{spec.example_saved}" -o jsonl
  pysophos {name} queries list
  pysophos {name} categories
  pysophos {name} runs list
""",
    )
    def group() -> None:
        pass

    options: list[Callable[[Any], Any]] = [
        click.argument("sql", metavar="[SQL|@FILE|-]", required=False),
        click.option("--saved", metavar="ID|NAME", help="Run this saved query instead of SQL."),
        click.option(
            "--endpoint",
            "endpoints",
            multiple=True,
            metavar="ID",
            help="Only these endpoints (repeatable).",
        ),
        click.option(
            "--var",
            "variables",
            multiple=True,
            metavar="NAME=VALUE",
            help="A value for a $$NAME$$ placeholder of the query (repeatable).",
        ),
    ]
    if spec.time_range:
        since = time_option()
        options += [
            click.option(
                "--since",
                metavar="WHEN",
                callback=since,
                help="Data from WHEN on [default: 24h]: 24h, 7d, an ISO duration or a date/datetime.",
            ),
            click.option("--to", metavar="WHEN", callback=since, help="Data before WHEN."),
        ]

    def query(  # noqa: PLR0917 - click passes the options by name
        cli: CliContext,
        /,
        output: OutputOptions,
        sql: str | None,
        saved: str | None,
        endpoints: tuple[str, ...],
        variables: tuple[str, ...],
        wait: bool,
        timeout: float,
        since: str | None = None,
        to: str | None = None,
    ) -> None:
        if (sql is None) == (saved is None):
            raise click.UsageError("give SQL (or @FILE) or --saved NAME, not both and not neither")
        text = argument_text(sql, what="SQL") if sql is not None else None
        extra: dict[str, Any] = {"since": since, "to": to} if spec.time_range else {}
        values = _variables(variables)

        def start(client: SophosCentral) -> QueryRun:
            api = getattr(client, spec.attribute)
            run: QueryRun = api.query(
                text, saved=saved, endpoints=list(endpoints) or None, variables=values, **extra
            )
            return run

        write_run(cli, output, start, label=spec.label, wait=wait, timeout=timeout)

    query.__doc__ = f"""Run SQL (or a saved query) and print its rows; columns come from the result.

    SQL may be @FILE (a file's text) or - (stdin). The run is polled with backoff until it has
    finished; a run that fails (bad SQL) exits 4 with the engine's message, one still going after
    --timeout exits 5 naming the run id (fetch it later with `{name} runs results ID`).

    \b
    Examples:
      pysophos {name} query "{spec.example_sql}"
      pysophos {name} query --saved "{spec.example_saved}"
      echo "{spec.example_sql}" | pysophos {name} query - -o csv --output-file hunt.csv
      pysophos {name} query --no-wait "{spec.example_sql}"
      pysophos --all-tenants {name} query --saved "{spec.example_saved}" -o jsonl
    """
    decorated: Callable[..., Any] = query
    for option in reversed([*options]):
        decorated = option(decorated)
    decorated = wait_options(decorated)
    decorated = output_options(columns=[])(decorated)
    group.command("query")(click.pass_obj(decorated))

    # --- runs ---------------------------------------------------------------------------------

    @group.group("runs")
    def runs() -> None:
        """Query runs: list, get, results."""

    runs.help = f"""Query runs: list, get, results{", cancel" if spec.can_cancel else ""}{", endpoints" if spec.has_endpoints else ""}.

    \b
    Examples:
      pysophos {name} runs list
      pysophos {name} runs list --status finished
    """

    @runs.command(
        "list",
        help=f"""Recent runs, oldest first.

\b
Examples:
  pysophos {name} runs list
  pysophos {name} runs list --status finished -o json
""",
    )
    @click.option(
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice(["pending", "started", "finished"]),
        help="Only runs in this status (repeatable).",
    )
    @output_options(columns=RUN_COLUMNS, model=RUN_MODEL)
    @click.pass_obj
    def list_runs(cli: CliContext, /, output: OutputOptions, statuses: tuple[str, ...]) -> None:
        key = "status" if spec.has_endpoints else "statuses"
        cli.write_listing(
            output,
            lambda central: getattr(central, spec.attribute).list_runs(
                **{key: list(statuses) or None}
            ),
            title=f"{spec.label} runs",
        )

    @runs.command(
        "get",
        help=f"""Show a run (with --wait, the default: once it has finished).

\b
Examples:
  pysophos {name} runs get {spec.example_run}
  pysophos {name} runs get {spec.example_run} --no-wait -o json
""",
    )
    @click.argument("run_id", metavar="RUN_ID")
    @wait_options
    @record_options(model=RUN_MODEL)
    @click.pass_obj
    def get_run(
        cli: CliContext, /, output: OutputOptions, run_id: str, wait: bool, timeout: float
    ) -> None:
        with value_errors_as_usage():
            run = family(cli).get_run(run_id)
        if wait:
            with _spinner(spec.label) as on_status:
                run.wait(timeout, on_status=on_status)
        cli.write_object(output, run.info.to_api(), title=f"{spec.label} run")

    @runs.command(
        "results",
        help=f"""The rows of a finished run (every page), e.g. after a --timeout.

\b
Examples:
  pysophos {name} runs results {spec.example_run}
  pysophos {name} runs results {spec.example_run} -o csv
""",
    )
    @click.argument("run_id", metavar="RUN_ID")
    @output_options(columns=[])
    @click.pass_obj
    def run_results(cli: CliContext, /, output: OutputOptions, run_id: str) -> None:
        with value_errors_as_usage():
            run = family(cli).get_run(run_id)
        write_results_of(cli, output, run, label=spec.label)

    if spec.can_cancel:

        @runs.command(
            "cancel",
            help=f"""Cancel runs that have not finished: one result row per run (ids as
arguments, - to read them from stdin, or @FILE).

\b
Examples:
  pysophos {name} runs cancel {spec.example_run} --yes
""",
        )
        @many_targets("run_ids", "RUN_ID...", columns=[*RESULT_COLUMNS, "canceled"])
        def cancel_run(change: Change, *, run_ids: tuple[str, ...]) -> None:
            from pysophoscentralapi._errors import ConflictError

            ids = ids_from_arguments(run_ids, noun="a run id", plural="run ids", hint="RUN_ID")

            def cancel(central: Any, run_id: str) -> dict[str, Any]:
                api = getattr(central, spec.attribute)
                if change.dry_run:
                    from pysophoscentralapi._sync._query_runs import QueryRun

                    QueryRun(api, api.runs, {"id": run_id}).cancel()
                    return {}
                if not api.get_run(run_id).cancel():
                    raise ConflictError("the API answered canceled: false (finished already?)")
                return {"canceled": True}

            act_on_each(
                change, ids, cancel, verb="cancel", done="canceled",
                noun=f"{spec.label} run",
            )  # fmt: skip

    if spec.has_endpoints:

        @runs.command(
            "endpoints",
            help=f"""The endpoints of a run and how each fared.

\b
Examples:
  pysophos {name} runs endpoints {spec.example_run}
  pysophos {name} runs endpoints {spec.example_run} --match finished:succeeded:withData
""",
        )
        @click.argument("run_id", metavar="RUN_ID")
        @click.option(
            "--match",
            metavar="STATUS[:RESULT[:withData|withoutData]]",
            help="e.g. finished:succeeded:withData.",
        )
        @output_options(
            columns=["hostname", "type", "status", "result", "id"],
            model="pysophoscentralapi.models.queries:RunEndpoint",
        )
        @click.pass_obj
        def run_endpoints(
            cli: CliContext, /, output: OutputOptions, run_id: str, match: str | None
        ) -> None:
            with value_errors_as_usage():
                run = family(cli).get_run(run_id)
            cli.write_rows(output, run.endpoints(match=match).raw_items(), title="Run endpoints")

    # --- saved queries and categories -------------------------------------------------------------

    @group.group("queries")
    def queries() -> None:
        pass

    queries.help = f"""Saved queries: list, get (by id or name).

    \b
    Examples:
      pysophos {name} queries list
      pysophos {name} queries get "{spec.example_saved}"
    """

    @queries.command("list")
    @click.option("--category", "category_id", metavar="ID", help="Only queries of this category.")
    @click.option(
        "--search", metavar="TEXT", help="Only queries whose name or description has TEXT."
    )
    @output_options(columns=QUERY_COLUMNS, model="pysophoscentralapi.models.queries:SavedQuery")
    @click.pass_obj
    def list_queries(
        cli: CliContext, /, output: OutputOptions, category_id: str | None, search: str | None
    ) -> None:
        """Saved queries, canned and custom.

        \b
        Examples:
          pysophos xdr queries list
          pysophos live-discover queries list --search process
        """
        with value_errors_as_usage():
            cli.write_listing(
                output,
                lambda central: getattr(central, spec.attribute).list_queries(
                    category_id=category_id, search=search
                ),
                title="Saved queries",
            )

    @queries.command("get")
    @click.argument("query", metavar="ID|NAME")
    @record_options(model="pysophoscentralapi.models.queries:SavedQuery")
    @click.pass_obj
    def get_query(cli: CliContext, /, output: OutputOptions, query: str) -> None:
        """One saved query, by id or by name (names match whole, ignoring case), with its SQL
        template and variables.

        \b
        Examples:
          pysophos xdr queries get "Logons per device" -o json
        """
        from pysophoscentralapi.cli._names import resolve_id

        api = family(cli)
        query_id = resolve_id(
            query, lambda: api.list_queries().raw_items(), what="saved query",
            param_hint="ID|NAME", list_command=f"pysophos {name} queries list",
        )  # fmt: skip
        with value_errors_as_usage():
            found = api.get_query(query_id)
        cli.write_object(output, found.to_api(), title="Saved query")

    @group.command("categories")
    @click.argument("category_id", metavar="[ID]", required=False)
    @output_options(
        columns=CATEGORY_COLUMNS, model="pysophoscentralapi.models.queries:QueryCategory"
    )
    @click.pass_obj
    def categories(cli: CliContext, /, output: OutputOptions, category_id: str | None) -> None:
        """Categories of saved queries (one, with ID).

        \b
        Examples:
          pysophos xdr categories
          pysophos live-discover categories -o json
        """
        if category_id:
            one_record(output, form="categories ID")
            with value_errors_as_usage():
                found = family(cli).get_category(category_id)
            cli.write_object(output, found.to_api(), title="Category")
            return
        cli.write_listing(
            output,
            lambda central: getattr(central, spec.attribute).list_categories(),
            title="Categories",
        )

    return group
