"""The production request path for the bench: gunicorn as the pod runs it, behind the pod's edge.

The edge is the one `make pod` runs (harness/pod/shape.py): nginx with the master manifests' nginx.conf
and a self-signed certificate, so the load goes the customers' way — TLS, nginx reading the whole
request and answer, then gunicorn on the loopback, with the app container's environment (its access
log off: the edge writes it). The floor gets the same edge and settings, so the ratios compare the
app's own cost on the same path.
"""

import contextlib
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from harness.delivery import app_container, container_env
from harness.pod.edge_proxy import EdgeProxy
from harness.pod.shape import edge_in_front_of
from harness.server import ServerProcess

SUFFIX = "-via-edge"
GUNICORN_VARIABLES = ("CHAOS_ACCESS_LOG",)
"""The app container's variables that change how gunicorn serves (the others place it or find files)."""


def pod_environment() -> dict[str, str]:
    """The master pod's values of GUNICORN_VARIABLES, from the rendered manifests."""
    env = container_env(app_container("master"))
    return {name: env[name] for name in GUNICORN_VARIABLES}


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
