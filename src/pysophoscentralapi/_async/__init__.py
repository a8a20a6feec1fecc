"""The implementation of the client (async). ``_sync`` is generated from it by scripts/unasync.py."""
