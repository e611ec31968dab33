"""Prometheus: the instruments, the multiprocess directory gunicorn's workers share, process metrics."""
