"""The production request path for the bench: each gunicorn server again behind the pod's edge.

The edge is the one `make pod` runs (tests/pod/shape.py): nginx with the master manifests' nginx.conf
and a self-signed certificate, so the load goes the customers' way — TLS, nginx reading the whole
request and answer, then gunicorn on the loopback. The floor gets the same edge, so the ratios
compare the app's own cost on the same path.
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from bench.servers import Server
from tests.pod.edge_proxy import EdgeProxy
from tests.pod.shape import edge_in_front_of

SUFFIX = " via edge"


@contextlib.contextmanager
def edges(servers: list[Server], workdir: Path) -> Iterator[dict[str, EdgeProxy]]:
    """An edge in front of each server, by the server's name; all stopped at the end."""
    with contextlib.ExitStack() as stack:
        proxies = {}
        for server in servers:
            proxy = edge_in_front_of(server.port, workdir / f"edge-{server.name}")
            stack.callback(proxy.stop)
            proxies[server.name] = proxy.start()
        yield proxies
