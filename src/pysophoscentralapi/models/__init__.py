"""Pydantic models of the API's objects, one module per API family."""

from pysophoscentralapi.models._base import SophosModel, Timestamp, TolerantEnum
from pysophoscentralapi.models.whoami import ApiHosts, IdType, Whoami

__all__ = ["ApiHosts", "IdType", "SophosModel", "Timestamp", "TolerantEnum", "Whoami"]
