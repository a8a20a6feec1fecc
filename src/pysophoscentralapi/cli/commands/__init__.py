"""One module per command group; imported lazily by the root group."""
