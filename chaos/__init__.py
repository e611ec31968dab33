"""chaos: scores the appetence of bank customers for term deposits."""

__version__ = "0.1.0"
