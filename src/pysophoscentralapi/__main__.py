"""``python -m pysophoscentralapi`` runs the ``pysophos`` CLI."""

from pysophoscentralapi.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
