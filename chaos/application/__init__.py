"""Use cases and the ports they need; chaos/bootstrap.py, beside the layers, wires them to the adapters."""
