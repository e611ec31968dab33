"""The production request path for the bench: each gunicorn server again behind the pod's edge.

The edge is the one `make pod` runs (tests/pod/shape.py): nginx with the master manifests' nginx.conf
and a self-signed certificate, so the load goes the customers' way — TLS, nginx reading the whole
request and answer, then gunicorn on the loopback. The floor gets the same edge, so the ratios
compare the app's own cost on the same path.
"""

import contextlib
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from tests.pod.edge_proxy import EdgeProxy
from tests.pod.shape import edge_in_front_of
from tests.support.server import ServerProcess

SUFFIX = " via edge"


@contextlib.contextmanager
def edges(servers: dict[str, ServerProcess], workdir: Path) -> Iterator[dict[str, EdgeProxy]]:
    """An edge in front of each server, by the server's name; all stopped at the end."""
    with contextlib.ExitStack() as stack:
        proxies = {}
        for name, server in servers.items():
            proxy = edge_in_front_of(urllib.parse.urlsplit(server.url).port, workdir / f"edge-{name}")
            stack.callback(proxy.stop)
            proxies[name] = proxy.start()
        yield proxies
