"""Loopback ports for the servers a test or the bench starts: never a fixed one, so concurrent runs do
not collide."""

import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
