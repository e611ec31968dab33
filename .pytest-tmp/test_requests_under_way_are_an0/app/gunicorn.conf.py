"""gunicorn settings for chaos (`gunicorn -c gunicorn.conf.py chaos.application.server:app`).

Environment overrides: CHAOS_BIND (host:port) or PORT, WEB_CONCURRENCY (workers; set it in
Kubernetes, where the CPU count is the node's, not the pod's limit), CHAOS_LOG_LEVEL.
The app is preloaded: the model is read and checked once, before forking, so a bad artifact
stops the master at once; each worker opens its own database pool on first use (after fork).
"""

import os

from chaos.application import metrics_directory

# Before anything imports prometheus_client (the web package does): workers then write their
# samples under this directory and /metrics sums them ($PROMETHEUS_MULTIPROC_DIR, else a temp dir).
METRICS_DIRECTORY = metrics_directory.prepare()

from chaos.application.web import gunicorn_env  # noqa: E402
from chaos.application.web.json_logging import ACCESS_LOG_FORMAT, logging_config  # noqa: E402

bind = gunicorn_env.bind()
workers = gunicorn_env.workers()
worker_class = "sync"
preload_app = True

timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 20  # on SIGTERM, in-flight requests get this long (within Kubernetes' 30 s grace)

accesslog = "-"
access_log_format = ACCESS_LOG_FORMAT
logconfig_dict = logging_config(os.environ.get("CHAOS_LOG_LEVEL", "INFO").upper())

if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the container's overlay filesystem

control_socket_disable = (
    True  # no runtime control socket: Kubernetes scales by pods, and $HOME may be read-only
)


def on_starting(server):
    metrics_directory.clear(METRICS_DIRECTORY)


def child_exit(server, worker):
    metrics_directory.worker_exited(worker.pid)


def on_exit(server):
    metrics_directory.remove_if_temporary(METRICS_DIRECTORY)
