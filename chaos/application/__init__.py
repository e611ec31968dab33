"""Use cases and entry points (command line, HTTP, training)."""
