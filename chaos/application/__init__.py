"""Use cases, and `bootstrap`, the one composition root that wires them to the adapters."""
