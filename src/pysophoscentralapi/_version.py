"""The package version, defined in this one place (read by the build backend too)."""

__version__ = "0.1.0"
