"""Every error as `application/problem+json` (RFC 9457), including Flask's own 404/405/413, each of
a type registered in problem_types.py, which says its status and title once.

A handler per cause keeps the routes free of try/except: they raise `Problem` (or let a domain
exception through) and the answer is built here. Unexpected exceptions become a 500 problem whose
detail hides the internals; bad input must never get there (a parametrized test guards this).
No answer names a file, a host, a port or a driver's message: those go to the log, stamped with
the request id the answer carries.
"""

import logging
import math
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from chaos.application.model_registry import UnknownModel
from chaos.application.outcome_reports import OutcomesNotKept
from chaos.domain.campaign import Unscorable
from chaos.domain.customer import NoIndicatorsForDate
from chaos.domain.freshness import StaleIndicators
from chaos.domain.report_bounds import ReportVolumeExceeded
from chaos.domain.reported_outcome import (
    ConflictingOutcomes,
    OutcomesUnavailable,
    Refusal,
    ReportsBusy,
    UnknownContacts,
)
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.entrypoints.web.appetence_schema import MAX_ERRORS_LISTED, InvalidFields, InvalidJson
from chaos.entrypoints.web.batch_schema import TooManyRows
from chaos.entrypoints.web.extension import MODEL_PARAMETER
from chaos.entrypoints.web.problem_types import (
    BODY_TOO_LARGE,
    CONFLICTING_OUTCOMES,
    DATABASE_UNAVAILABLE,
    HTTP_ERROR,
    INVALID_FIELDS,
    MALFORMED_JSON,
    NO_INDICATORS,
    OUTCOMES_NOT_KEPT,
    REPORT_VOLUME_EXCEEDED,
    REPORTS_BUSY,
    STALE_INDICATORS,
    TOO_MANY_ROWS,
    UNKNOWN_CONTACTS,
    UNKNOWN_MODEL,
    ProblemType,
)
from chaos.infrastructure.metrics import prometheus as metrics

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5
"""What a 503 tells clients to wait: about the time a restarted database or proxy needs (and a 429
from busy outcome reports: longer than the largest report's write)."""

logger = logging.getLogger(__name__)


class Problem(Exception):
    """An HTTP error answer of a registered kind: `errors` lists `{field, message, allowed?}` for
    field-level problems; `status` and `title` are given only for `about:blank` (the HTTP error's)."""

    def __init__(
        self,
        kind: ProblemType,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ):
        super().__init__(detail)
        status = status or kind.status
        title = title or kind.title
        if status is None or title is None:
            raise TypeError(f"{kind.uri}: an HTTP error's problem needs its status and title")
        self.status = status
        self.reason = kind.slug or title.lower().replace(" ", "-")
        self.body = {
            "type": kind.uri,
            "title": title,
            "status": status,
            "detail": detail,
            **({"errors": errors} if errors is not None else {}),
            **extensions,
        }
        self.headers = headers or {}

    def response(self) -> Response:
        metrics.refused(self.reason, self.status)
        response = Response(json.dumps(self.body), status=self.status, mimetype=PROBLEM_JSON)
        response.headers.update(self.headers)
        return response

    def of_row(self) -> dict[str, Any]:
        """The problem as a batch row carries it in a 200: its body without a status."""
        return {key: value for key, value in self.body.items() if key != "status"}


def service_unavailable(kind: ProblemType, detail: str, **extensions: Any) -> Problem:
    """A 503 telling the client when to retry: the outage is on our side, the request was fine."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return Problem(kind, detail, headers=headers, **extensions)


def _database_unavailable(error: IndicatorsUnavailable) -> Response:
    logger.warning("database unavailable: %s", error)  # the driver's words: host, port, role
    if isinstance(error, OutcomesUnavailable):
        detail = (
            "the database cannot record outcomes right now; nothing of this report was recorded; retry later"
        )
    else:
        detail = "the socio-economic indicators cannot be read right now; retry later"
    return service_unavailable(DATABASE_UNAVAILABLE, detail).response()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, Problem.response)
    app.register_error_handler(HTTPException, _http_problem)
    app.register_error_handler(IndicatorsUnavailable, _database_unavailable)
    app.register_error_handler(NoIndicatorsForDate, _unscorable)
    app.register_error_handler(StaleIndicators, _unscorable)
    app.register_error_handler(InvalidJson, _malformed)
    app.register_error_handler(InvalidFields, _invalid_fields)
    app.register_error_handler(UnknownModel, _unknown_model)
    app.register_error_handler(TooManyRows, _too_many_rows)
    app.register_error_handler(UnknownContacts, _unknown_contacts)
    app.register_error_handler(ConflictingOutcomes, _conflicting_outcomes)
    app.register_error_handler(OutcomesNotKept, _outcomes_not_kept)
    app.register_error_handler(ReportsBusy, _reports_busy)
    app.register_error_handler(ReportVolumeExceeded, _report_volume_exceeded)
    app.register_error_handler(Exception, _unexpected)


def _http_problem(error: HTTPException) -> Response:
    """Werkzeug's errors (404, 405, 413...) with their own status and description; a 413 states the
    limit, which werkzeug's description does not."""
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        problem = Problem(
            BODY_TOO_LARGE,
            f"the request body exceeds the limit of {limit} bytes for {request.path}; send less "
            "(a batch: fewer customers per request)",
            limit=limit,
        )
    else:
        problem = Problem(
            HTTP_ERROR, error.description or error.name, status=error.code or 500, title=error.name
        )
    response = problem.response()
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _malformed(error: InvalidJson) -> Response:
    position: dict[str, Any] = {} if error.line is None else {"line": error.line, "column": error.column}
    return Problem(MALFORMED_JSON, f"the body is not valid JSON: {error}", **position).response()


def _invalid_fields(error: InvalidFields) -> Response:
    fields = sorted({item["field"] for item in error.errors})
    listed = "" if error.total == len(error.errors) else f", the first {len(error.errors)} listed"
    return Problem(
        INVALID_FIELDS,
        f"{error.total} problem(s){listed} with {', '.join(fields)}; "
        "see `errors` for what each field accepts",
        errors=error.errors,
        error_count=error.total,
    ).response()


def unscorable_problem(error: Unscorable) -> Problem:
    """Why a valid customer has no score: the whole answer to one customer, a row's `problem` in a
    batch. No indicators: the first date that can be scored; too old: the row's indicators' date and
    age, the limit and the newest month."""
    if isinstance(error, NoIndicatorsForDate):
        allowed = (
            f"a date on or after {error.earliest_date}"
            if error.earliest_date
            else ("none until socio_eco is filled")
        )
        return Problem(
            NO_INDICATORS,
            str(error),
            errors=[{"field": "date", "message": str(error), "allowed": allowed}],
        )
    stale = error.stale[min(error.stale)]
    return Problem(
        STALE_INDICATORS,
        f"{error}; refresh socio_eco or score an earlier date (limit: socio_eco.max_age_days)",
        errors=[
            {
                "field": "date",
                "message": f"indicators dated {stale.socio_eco_date}, "
                f"{stale.age_days} days before {stale.contact_date}",
            }
        ],
        socio_eco_date=stale.socio_eco_date.isoformat(),
        age_days=stale.age_days,
        max_age_days=error.max_age_days,
        newest_month=error.newest.isoformat() if error.newest else None,
    )


def _unscorable(error: Unscorable) -> Response:
    return unscorable_problem(error).response()


def _unknown_model(error: UnknownModel) -> Response:
    logger.warning("model version %r cannot be served: %s", error.version, error)  # names the store's files
    message = f"no servable model version {error.version!r}; `allowed` lists the versions"
    return Problem(
        UNKNOWN_MODEL,
        message,
        errors=[{"field": MODEL_PARAMETER, "message": message, "allowed": error.versions}],
    ).response()


def _too_many_rows(error: TooManyRows) -> Response:
    return Problem(TOO_MANY_ROWS, str(error), limit=error.limit).response()


def _refused_rows(refusals: list[Refusal], field: str) -> dict[str, Any]:
    """The first MAX_ERRORS_LISTED refused rows and how many there are: an answer of bounded size."""
    return {
        "errors": [
            {"row": refusal.row, "field": field, "message": refusal.reason}
            for refusal in refusals[:MAX_ERRORS_LISTED]
        ],
        "error_count": len(refusals),
    }


def _unknown_contacts(error: UnknownContacts) -> Response:
    return Problem(
        UNKNOWN_CONTACTS,
        f"{len(error.refusals)} row(s) report a contact chaos does not know (a status alone for a "
        "contact never reported with its date and fields, or a contact never scored with its id nor "
        "imported: see `errors`); nothing was recorded",
        **_refused_rows(error.refusals, "id"),
    ).response()


def _conflicting_outcomes(error: ConflictingOutcomes) -> Response:
    return Problem(
        CONFLICTING_OUTCOMES,
        f"{len(error.refusals)} row(s) would change what is known of their contact; nothing was "
        "recorded (send ?replace=true to apply them)",
        **_refused_rows(error.refusals, "outcome"),
    ).response()


def _reports_busy(error: ReportsBusy) -> Response:
    """A 429, not a 503: the database works, other reports are being written; the same request
    succeeds once they are."""
    logger.info("outcome report turned away: %s", error)
    return Problem(
        REPORTS_BUSY,
        f"{error}; nothing of this report was recorded: send it again after Retry-After seconds",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    ).response()


def _report_volume_exceeded(error: ReportVolumeExceeded) -> Response:
    """A 429 whose Retry-After is the next UTC midnight, when the key's count starts again; `daily_limit`
    and `written_today` say by how much it missed."""
    logger.warning("outcome report past its key's daily limit: %s", error)
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), UTC)
    return Problem(
        REPORT_VOLUME_EXCEEDED,
        f"{error}; nothing of this report was recorded",
        key_id=error.reporter.key_id,
        daily_limit=error.reporter.daily_limit,
        written_today=error.written_today,
        rows=error.adding,
        headers={"Retry-After": str(math.ceil((midnight - now).total_seconds()))},
    ).response()


def _outcomes_not_kept(error: OutcomesNotKept) -> Response:
    return Problem(OUTCOMES_NOT_KEPT, str(error)).response()


def _unexpected(error: Exception) -> Response:
    logger.exception("unexpected error while answering a request")
    return Problem(
        HTTP_ERROR,
        "an unexpected error occurred; it has been logged",
        status=500,
        title="Internal Server Error",
    ).response()
