"""gunicorn settings for chaos: `gunicorn -c python:chaos.entrypoints.gunicorn_config
chaos.entrypoints.wsgi:app` (what `chaos serve` and the image run).

Environment overrides: CHAOS_BIND (host:port) or PORT, WEB_CONCURRENCY (workers; set it in
Kubernetes, where the CPU count is the node's, not the pod's limit), CHAOS_LOG_LEVEL, CHAOS_LOG_FORMAT
(auto: plain lines on a terminal, JSON otherwise), CHAOS_ACCESS_LOG (off behind the pod's edge, which
logs every request).
The app is preloaded: the model is read and checked once, before forking, so a bad artifact
stops the master at once; each worker opens its own database pool on first use (after fork).

Importing this module changes nothing: gunicorn itself exports `raw_env` before it loads the app,
and the metrics directory is created when the app first counts something.
"""

import gc
import os

from chaos.entrypoints import gunicorn_env
from chaos.entrypoints.web.json_logging import ACCESS_LOG_FORMAT, GunicornLogger, logging_config
from chaos.infrastructure.metrics import multiprocess_directory

METRICS_DIRECTORY = multiprocess_directory.chosen()
# Exported before the app (and prometheus_client) is imported: workers then write their samples
# under this directory and /metrics sums them ($PROMETHEUS_MULTIPROC_DIR, else a temporary one).
raw_env = [f"{multiprocess_directory.VARIABLE}={METRICS_DIRECTORY}"]

bind = gunicorn_env.bind()
workers = gunicorn_env.workers()
worker_class = "sync"
preload_app = True

timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 20  # on SIGTERM, in-flight requests get this long (within the pod's 40 s grace)

accesslog = gunicorn_env.access_log()
access_log_format = ACCESS_LOG_FORMAT
logger_class = GunicornLogger
logconfig_dict = logging_config(os.environ.get("CHAOS_LOG_LEVEL", "INFO").upper(), gunicorn_env.text_logs())

if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the container's overlay filesystem

control_socket_disable = (
    True  # no runtime control socket: Kubernetes scales by pods, and $HOME may be read-only
)


def on_starting(server):
    multiprocess_directory.clear(METRICS_DIRECTORY, keep=os.getpid())


def pre_fork(server, worker):
    """Move everything the master built (the preloaded app, its models, the libraries) out of the
    garbage collector's reach before each fork: a worker's full collections then scan only what it
    made itself, not the ~100,000 inherited objects (a full pass over them cost about 20 µs a request,
    amortised, and wrote to every page they live on, which the fork shared)."""
    gc.freeze()


def post_fork(server, worker):
    """Read the champion pointer before this worker's first request (and follow it from now on)."""
    from chaos.entrypoints.wsgi import worker_forked  # the preloaded app, built in the master

    worker_forked()


def child_exit(server, worker):
    from chaos.infrastructure.metrics import (
        prometheus as metrics,  # imported by the app, after raw_env named the directory
    )

    metrics.worker_exited(worker.pid)


def on_exit(server):
    multiprocess_directory.remove_if_temporary(METRICS_DIRECTORY)
