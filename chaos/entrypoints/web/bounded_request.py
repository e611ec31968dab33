"""A request whose body is refused (413) when it reaches the size limit, with or without Content-Length.

Werkzeug enforces `max_content_length` on a declared Content-Length, but a chunked body (gunicorn
sets `wsgi.input_terminated`) is only wrapped in a stream that stops at the limit: `get_data()`
then returns the first bytes and the cut would be parsed as if it were the whole body. One more
read past the limit is what makes werkzeug raise RequestEntityTooLarge, so `get_data` does it.
A chunked body of exactly the limit is refused too: nothing tells it apart from a longer one.
`chunks` reads the body piece by piece with the same rule, for readers that stream it.

The limit is MAX_BODY_BYTES unless a view sets its own (`request.max_content_length = ...`). Flask's
own property reads the app's configuration through `current_app` instead, twice a request, at
about 0.8 µs a read (request_context.py).
"""

import contextlib
from collections.abc import Iterator

from flask import Request
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import LimitedStream

CHUNK_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024
"""Largest request body (413 above): ample for one customer; a batch view may raise it for itself."""


class BoundedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        return MAX_BODY_BYTES if self._max_content_length is None else self._max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def get_data(self, *args, **kwargs):
        data = super().get_data(*args, **kwargs)
        self._refuse_a_cut_body()
        return data

    def chunks(self) -> Iterator[bytes]:
        """The body in pieces of at most CHUNK_BYTES, never held whole."""
        while chunk := self.stream.read(CHUNK_BYTES):
            yield chunk
        self._refuse_a_cut_body()

    def discard_rest(self) -> None:
        """Read what the client still sends, keeping nothing. A streamed body refused early leaves
        bytes unread; gunicorn closes the connection after the answer, and unread bytes make the
        kernel reset it, so the client (or the edge) would lose the answer. A client that vanishes
        or overruns the limit meanwhile already has its answer coming."""
        with contextlib.suppress(HTTPException):
            while self.stream.read(CHUNK_BYTES):
                pass

    def _refuse_a_cut_body(self) -> None:
        if isinstance(self.stream, LimitedStream) and self.stream.is_exhausted:
            self.stream.read(1)  # at a maximum (not a Content-Length) this raises the 413
