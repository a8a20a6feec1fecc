"""The base of every API-family namespace (``central.endpoints``, ``central.alerts``, ...)."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from pysophoscentralapi._async._pagination import AsyncPaginator
from pysophoscentralapi._async._transport import AsyncTransport
from pysophoscentralapi._lenient import answer_confirms, warn_unfitting
from pysophoscentralapi._page import ModelT, parse_result, parse_results
from pysophoscentralapi._paging import PagingStyle
from pysophoscentralapi._routing import Scope
from pysophoscentralapi._validation import check_page_size

P = ParamSpec("P")
R = TypeVar("R")


def same_arguments_as(
    template: Callable[P, R],
) -> Callable[[Callable[..., R]], Callable[P, R]]:
    """Give a method the arguments of ``template`` when it takes exactly those and only sends
    them another way (``alerts.search`` is ``alerts.list`` sent as a JSON body).

    The signature (``help()``, IDEs, type checkers) is the template's; a call is bound to it (a
    ``TypeError`` for arguments it does not take) and the method receives every argument by
    keyword, defaults filled in.
    """
    signature = inspect.signature(template)

    def adopt(method: Callable[..., R]) -> Callable[P, R]:
        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return method(*bound.args, **bound.kwargs)

        call.__signature__ = signature  # type: ignore[attr-defined]
        return call

    return adopt


#: Each class's declared namespaces, read once (see declared_namespaces).
_DECLARED: dict[type, tuple[tuple[str, type[AsyncNamespace]], ...]] = {}


def declared_namespaces(owner: type) -> tuple[tuple[str, type[AsyncNamespace]], ...]:
    """The attributes ``owner`` (and its bases) annotate with a namespace class, such as
    ``local_sites: AsyncLocalSites``: what :func:`build_namespaces` makes (read once a class).

    An annotation names a class of the module it is written in, imported at run time (one
    imported only for type checking is not found, and its attribute not made).
    """
    known = _DECLARED.get(owner)
    if known is None:
        found: dict[str, type[AsyncNamespace]] = {}
        for klass in reversed(owner.__mro__):
            names = vars(sys.modules[klass.__module__])
            for attribute, annotation in vars(klass).get("__annotations__", {}).items():
                target = names.get(annotation) if isinstance(annotation, str) else annotation
                if isinstance(target, type) and issubclass(target, AsyncNamespace):
                    found[attribute] = target
        known = _DECLARED[owner] = tuple(found.items())
    return known


def build_namespaces(owner: object, transport: AsyncTransport, tenant_id: str | None) -> None:
    """Give ``owner`` its declared namespaces, each for ``transport`` and ``tenant_id``."""
    declared = _DECLARED.get(type(owner))
    if declared is None:
        declared = declared_namespaces(type(owner))
    for attribute, namespace in declared:
        setattr(owner, attribute, namespace(transport, tenant_id))


class AsyncNamespace:
    """A group of namespaces (``central.partner``: ``admins``, ``roles``, ``billing``): each
    attribute annotated with a namespace class is made, for the same transport and tenant, when
    the group is."""

    def __init__(self, transport: AsyncTransport, tenant_id: str | None = None) -> None:
        build_namespaces(self, transport, tenant_id)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class AsyncResource(AsyncNamespace):
    """A namespace of operations under one path prefix, bound to a transport and maybe a tenant
    (and the namespaces under it: see :class:`AsyncNamespace`)."""

    #: Where the family's requests go (most families are tenant APIs on the data-region host).
    scope = Scope.TENANT

    def __init__(self, transport: AsyncTransport, tenant_id: str | None = None) -> None:
        self._transport = transport
        self._tenant_id = tenant_id
        # Most families have no namespaces under them: once that is known, skip the call.
        if _DECLARED.get(type(self)) != ():
            build_namespaces(self, transport, tenant_id)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tenant_id={self._tenant_id!r})"

    @property
    def _dry_run(self) -> bool:
        """Whether state-changing requests are shown instead of sent (``dry_run_sink``)."""
        return self._transport.dry_run_sink is not None

    def _result(self, model: type[ModelT], body: Any) -> ModelT:
        """The model of a state-changing call's answer (an empty model in a dry run)."""
        return parse_result(model, body, dry_run=self._dry_run)

    def _results(self, model: type[ModelT], items: Any) -> list[ModelT]:
        """The models of the items of a state-changing call's answer (never an error for their
        shape: see :func:`~pysophoscentralapi._page.parse_result`)."""
        if not isinstance(items, list):
            if not self._dry_run:
                warn_unfitting(model.__name__, ["items (not a list; no items read)"])
            return []
        return parse_results(model, items)

    def _deleted(self, body: Any, key: str = "deleted") -> bool:
        """Whether a delete's (or removal's) 2xx answer says done (``"deleted": "False"`` is
        false; see :func:`~pysophoscentralapi._lenient.answer_confirms`)."""
        return answer_confirms(body, key, dry_run=self._dry_run)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        scope: Scope | None = None,
    ) -> Any:
        if params is not None:
            params = {k: v for k, v in params.items() if v is not None}
        return await self._transport.request(
            method,
            path,
            scope=scope or self.scope,
            tenant_id=self._tenant_id,
            params=params,
            json=json,
        )

    def _paginate(
        self,
        path: str,
        *,
        model: type[ModelT],
        style: PagingStyle,
        page_size: int | None,
        params: dict[str, Any] | None = None,
        method: str = "GET",
        body: dict[str, Any] | None = None,
        scope: Scope | None = None,
        variants: list[dict[str, Any]] | None = None,
    ) -> AsyncPaginator[ModelT]:
        return AsyncPaginator(
            self._transport,
            path,
            model=model,
            style=style,
            scope=scope or self.scope,
            tenant_id=self._tenant_id,
            page_size=page_size,
            params=params,
            method=method,
            body=body,
            variants=variants,
        )

    def _numbered_pages(
        self, path: str, model: type[ModelT], page_size: int, maximum: int, **options: Any
    ) -> AsyncPaginator[ModelT]:
        """A page-number listing, ``page_size`` checked against the listing's ``maximum`` first
        (``options``: the other keywords of :meth:`_paginate`, such as ``params``)."""
        page_size = check_page_size(page_size, maximum)
        return self._paginate(
            path, model=model, style=PagingStyle.NUMBER, page_size=page_size, **options
        )
