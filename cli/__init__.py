"""``troly``: the one command-line entry point (each domain keeps ``python -m <package>``)."""
