"""The objects behind Flask's `request`, `g` and `current_app`, for the code every request runs.

An attribute read through one of Flask's proxies costs about 0.8 µs, some thirty times a plain
one: the proxy's class lacks the attribute, so Python builds an AttributeError and drops it before
the proxy forwards the lookup. A scoring request made about twenty such reads. The code on its path
takes each object once (`_get_current_object`, werkzeug's documented way to the proxied object)
and reads that. Headers are read from the WSGI environ (`environ_key`): werkzeug's `headers.get`
raises and catches a KeyError for every header a request lacks, and most lack most.
"""

from typing import cast

from flask import Flask, Request, current_app, g, request
from flask.ctx import _AppCtxGlobals
from werkzeug.local import LocalProxy


def current_request() -> Request:
    return cast(LocalProxy, request)._get_current_object()


def request_globals() -> _AppCtxGlobals:
    """`g` of the request being served: what the hooks keep for it (its id, its clock, its key's id)."""
    return cast(LocalProxy, g)._get_current_object()


def current_application() -> Flask:
    return cast(LocalProxy, current_app)._get_current_object()


def environ_key(header: str) -> str:
    """Where WSGI keeps the value of `header` (any but Content-Type and Content-Length)."""
    return "HTTP_" + header.upper().replace("-", "_")
