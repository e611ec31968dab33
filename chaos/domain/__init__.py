"""Pure business rules: no framework, no I/O, no other layer."""
