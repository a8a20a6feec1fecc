"""The data regions Sophos Central documents (API_NOTES §1), apart from the routing that uses
them: the settings' checks and ``pysophos config``'s ``--region`` choices need only the names
(:mod:`._routing` costs a ``--help`` some 5 ms: ``ipaddress``, ``urllib.parse``, dataclasses)."""

__all__ = ["KNOWN_REGIONS"]

KNOWN_REGIONS = ("eu01", "eu02", "us01", "us03", "ca01", "au01", "jp01", "in01", "br01")
