"""The ``credit-tui`` command line (imports every layer, the tui only to start it)."""
