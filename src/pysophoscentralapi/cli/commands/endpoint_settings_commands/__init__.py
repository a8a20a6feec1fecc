"""The hand-written commands of ``pysophos endpoint settings``, one module per group (the
group, :mod:`..endpoint_settings`, imports a module when its group is used, so a group's
``--help`` builds only its own commands): blocking and unblocking addresses in bulk, the
exploit-mitigation categories, the TLS-decryption exclusions and categories, the event journal and
the global tamper protection switch.

Every value is checked before anything is sent (exit 2 naming the option and the valid values).
Changes ask for confirmation on a terminal, need ``--yes`` otherwise, and show the requests
instead of sending them with ``--dry-run``.
"""

__all__ = ["SETTINGS_CLI"]

#: The command path the examples of these commands start with.
SETTINGS_CLI = "pysophos endpoint settings"
