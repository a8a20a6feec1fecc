"""FanOutReport: what a many-tenants run counts per tenant and how it ends."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pysophoscentralapi.cli._errors import PartialFailure
from pysophoscentralapi.cli._tenants import FanOutReport


def test_finished_counts_every_tenant_and_keeps_the_failures() -> None:
    ok = SimpleNamespace(id="t1", name="Acme")
    broken = SimpleNamespace(id="t2", name=None)
    error = RuntimeError("boom")
    report = FanOutReport(total=2)
    report.finished(ok, None)
    report.raise_if_failed()  # nothing failed yet
    report.finished(broken, error)
    assert report.done == 2
    assert report.failures == [(broken, error)]
    with pytest.raises(PartialFailure, match="1 of 2 tenants failed"):
        report.raise_if_failed()
