"""What runs around every request, as one before-request and one after-request hook.

Flask calls each registered hook through `ensure_sync` (an `inspect` check on every call) and looks
hooks up for every blueprint of the request: one hook of each kind calling the steps in their order
costs a scoring request less than four and two. Each step stays its module's, looked up when it runs.
Before: the champion followed (after gunicorn's fork), the request id, the clock, then the key
check, so a refused request is still timed and carries its id. After: the request counted, then
its id returned.
"""

from collections.abc import Callable

from flask import Flask, Response

from chaos.entrypoints.web import auth, metrics_routes, request_id


def install(app: Flask, follow: Callable[[], None]) -> None:
    def before() -> None:
        follow()
        request_id.assign()
        metrics_routes.start_clock()
        auth.authenticate()

    def after(response: Response) -> Response:
        return request_id.returned(metrics_routes.count(response))

    app.before_request(before)
    app.after_request(after)
