"""Every error as `application/problem+json` (RFC 9457), including Flask's own 404/405/413/415.

A handler per cause keeps the routes free of try/except: they raise `Problem` (or let a domain
exception through) and the answer is built here. Unexpected exceptions become a 500 problem whose
detail hides the internals; bad input must never get there (a parametrized test guards this).
No answer names a file, a host, a port or a driver's message: those go to the log, stamped with
the request id the answer carries.
"""

import logging
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from chaos.application.model_registry import UnknownModel
from chaos.application.outcome_reports import OutcomesNotKept
from chaos.domain.campaign import NoIndicatorsForRows
from chaos.domain.customer import NoIndicatorsForDate
from chaos.domain.freshness import StaleIndicators
from chaos.domain.report_bounds import RefusalReason, ReportVolumeExceeded
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
from chaos.infrastructure.metrics import prometheus as metrics

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5
"""What a 503 tells clients to wait: about the time a restarted database or proxy needs (and a 429
from busy outcome reports: longer than the largest report's write)."""

logger = logging.getLogger(__name__)


def problem_type(slug: str) -> str:
    """A stable identifier per kind of problem; a URN, since nothing needs to be fetched from it."""
    return f"urn:chaos:problem:{slug}"


class Problem(Exception):
    """An HTTP error answer: `errors` lists `{field, message, allowed?}` for field-level problems."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        slug: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.reason = slug or title.lower().replace(" ", "-")
        self.body = {
            "type": problem_type(slug) if slug else "about:blank",
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


def service_unavailable(title: str, detail: str, slug: str, **extensions: Any) -> Problem:
    """A 503 telling the client when to retry: the outage is on our side, the request was fine."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return Problem(503, title, detail, slug=slug, headers=headers, **extensions)


def _database_unavailable(error: IndicatorsUnavailable) -> Response:
    logger.warning("database unavailable: %s", error)  # the driver's words: host, port, role
    if isinstance(error, OutcomesUnavailable):
        detail = (
            "the database cannot record outcomes right now; nothing of this report was recorded; retry later"
        )
    else:
        detail = "the socio-economic indicators cannot be read right now; retry later"
    return service_unavailable("Database unavailable", detail, "database-unavailable").response()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, Problem.response)
    app.register_error_handler(HTTPException, _http_problem)
    app.register_error_handler(IndicatorsUnavailable, _database_unavailable)
    app.register_error_handler(NoIndicatorsForDate, _no_indicators)
    app.register_error_handler(InvalidJson, _malformed)
    app.register_error_handler(InvalidFields, _invalid_fields)
    app.register_error_handler(UnknownModel, _unknown_model)
    app.register_error_handler(TooManyRows, _too_many_rows)
    app.register_error_handler(NoIndicatorsForRows, _no_indicators_for_rows)
    app.register_error_handler(StaleIndicators, _stale_indicators)
    app.register_error_handler(UnknownContacts, _unknown_contacts)
    app.register_error_handler(ConflictingOutcomes, _conflicting_outcomes)
    app.register_error_handler(OutcomesNotKept, _outcomes_not_kept)
    app.register_error_handler(ReportsBusy, _reports_busy)
    app.register_error_handler(ReportVolumeExceeded, _report_volume_exceeded)
    app.register_error_handler(Exception, _unexpected)


def _http_problem(error: HTTPException) -> Response:
    """Werkzeug's errors (404, 405, 413, 415...) with their own status and description; a 413
    states the limit, which werkzeug's description does not."""
    if isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length
        problem = Problem(
            413,
            error.name,
            f"the request body exceeds the limit of {limit} bytes for {request.path}; send less "
            "(a batch: fewer customers per request)",
            slug="body-too-large",
            max_bytes=limit,
        )
    else:
        problem = Problem(error.code or 500, error.name, error.description or error.name)
    response = problem.response()
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _malformed(error: InvalidJson) -> Response:
    return Problem(
        400, "Malformed JSON", f"the body is not valid JSON: {error}", slug="malformed-json"
    ).response()


def _invalid_fields(error: InvalidFields) -> Response:
    fields = sorted({item["field"] for item in error.errors})
    listed = "" if error.total == len(error.errors) else f", the first {len(error.errors)} listed"
    return Problem(
        422,
        "Invalid fields",
        f"{error.total} problem(s){listed} with {', '.join(fields)}; "
        "see `errors` for what each field accepts",
        slug="invalid-fields",
        errors=error.errors,
        error_count=error.total,
    ).response()


def _allowed_dates(earliest: date | None) -> str:
    return f"a date on or after {earliest}" if earliest else "none until socio_eco is filled"


def _no_indicators(error: NoIndicatorsForDate) -> Response:
    allowed = _allowed_dates(error.earliest_date)
    return Problem(
        422,
        "No socio-economic indicators for this date",
        str(error),
        slug="no-indicators",
        errors=[{"field": "date", "message": str(error), "allowed": allowed}],
    ).response()


def _no_indicators_for_rows(error: NoIndicatorsForRows) -> Response:
    allowed = _allowed_dates(error.earliest_date)
    message = "no socio-economic indicators dated before this day"
    return Problem(
        422,
        "No socio-economic indicators for these dates",
        f"{len(error.rows)} row(s) have no complete month dated before them; nothing was scored",
        slug="no-indicators",
        errors=[
            {"row": row, "field": "date", "message": f"{message} ({day})", "allowed": allowed}
            for row, day in sorted(error.rows.items())
        ],
    ).response()


def _stale_indicators(error: StaleIndicators) -> Response:
    """Names the first stale row's dates and age, the limit and the newest month; in a batch, each
    stale row too."""
    first = error.stale[min(error.stale)]
    errors = [
        {
            **({"row": index} if len(error.stale) > 1 else {}),
            "field": "date",
            "message": f"indicators dated {stale.socio_eco_date}, "
            f"{stale.age_days} days before {stale.contact_date}",
        }
        for index, stale in sorted(error.stale.items())
    ]
    return Problem(
        422,
        "Socio-economic indicators too old",
        f"{error}; refresh socio_eco or score an earlier date (limit: socio_eco.max_age_days)",
        slug="stale-indicators",
        errors=errors,
        socio_eco_date=first.socio_eco_date.isoformat(),
        age_days=first.age_days,
        max_age_days=error.max_age_days,
        newest_month=error.newest.isoformat() if error.newest else None,
    ).response()


def _unknown_model(error: UnknownModel) -> Response:
    logger.warning("model version %r cannot be served: %s", error.version, error)  # names the store's files
    message = f"no servable model version {error.version!r}; `allowed` lists the versions"
    return Problem(
        404,
        "Unknown model version",
        message,
        slug="unknown-model",
        errors=[{"field": MODEL_PARAMETER, "message": message, "allowed": error.versions}],
    ).response()


def _too_many_rows(error: TooManyRows) -> Response:
    return Problem(413, "Too many rows", str(error), slug="too-many-rows").response()


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
        422,
        "Unknown contacts",
        f"{len(error.refusals)} row(s) report a contact chaos does not know (a status alone for a "
        "contact never reported with its date and fields, or a contact never scored with its id nor "
        "imported: see `errors`); nothing was recorded",
        slug=RefusalReason.UNKNOWN_CONTACTS,
        **_refused_rows(error.refusals, "id"),
    ).response()


def _conflicting_outcomes(error: ConflictingOutcomes) -> Response:
    return Problem(
        409,
        "Conflicting outcomes",
        f"{len(error.refusals)} row(s) would change what is known of their contact; nothing was "
        "recorded (send ?replace=true to apply them)",
        slug="conflicting-outcomes",
        **_refused_rows(error.refusals, "outcome"),
    ).response()


def _reports_busy(error: ReportsBusy) -> Response:
    """A 429, not a 503: the database works, other reports are being written; the same request
    succeeds once they are."""
    logger.info("outcome report turned away: %s", error)
    return Problem(
        429,
        "Other reports are being written",
        f"{error}; nothing of this report was recorded: send it again after Retry-After seconds",
        slug="reports-busy",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    ).response()


def _report_volume_exceeded(error: ReportVolumeExceeded) -> Response:
    """A 429 whose Retry-After is the next UTC midnight, when the key's count starts again; `daily_limit`
    and `written_today` say by how much it missed."""
    logger.warning("outcome report past its key's daily limit: %s", error)
    now = datetime.now(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), UTC)
    return Problem(
        429,
        "Daily report volume exceeded",
        f"{error}; nothing of this report was recorded",
        slug=RefusalReason.VOLUME_EXCEEDED,
        key_id=error.reporter.key_id,
        daily_limit=error.reporter.daily_limit,
        written_today=error.written_today,
        rows=error.adding,
        headers={"Retry-After": str(math.ceil((midnight - now).total_seconds()))},
    ).response()


def _outcomes_not_kept(error: OutcomesNotKept) -> Response:
    return Problem(501, "Not Implemented", str(error), slug="outcomes-not-kept").response()


def _unexpected(error: Exception) -> Response:
    logger.exception("unexpected error while answering a request")
    return Problem(
        500, "Internal Server Error", "an unexpected error occurred; it has been logged"
    ).response()
