"""Adapters to the outside world: configuration, PostgreSQL, model files, CSV."""
