"""Every kind of problem chaos answers, in one registry: its `type`, status, title and when a caller
meets it.

Answers are built from these entries (whole-request problems and a batch's per-row problems alike),
the OpenAPI document lists them, and the API guide's table of errors is generated from them and
checked against them, each with an example the app answers: adding a kind of problem is one entry
here, and the guide's check then asks for its example.
"""

from dataclasses import dataclass

from chaos.domain.report_bounds import RefusalReason

URN = "urn:chaos:problem:"
BLANK = "about:blank"


@dataclass(frozen=True)
class ProblemType:
    slug: str | None
    """None: `about:blank`, the HTTP status's own meaning, for errors the framework answers."""
    status: int | None
    """None only for `about:blank`, whose status is the HTTP error's."""
    title: str | None
    """None only for `about:blank`, whose title is the HTTP status's name."""
    when: str
    """When a caller meets it, and which fields say more: the guide's table row."""

    @property
    def uri(self) -> str:
        return f"{URN}{self.slug}" if self.slug else BLANK


REGISTRY: dict[str, ProblemType] = {}
"""By `type` URI, in the order of the guide's table."""


def _registered(slug: str | None, status: int | None, title: str | None, when: str) -> ProblemType:
    kind = ProblemType(slug, status, title, when)
    if kind.uri in REGISTRY:
        raise ValueError(f"problem type {kind.uri} registered twice")
    REGISTRY[kind.uri] = kind
    return kind


MALFORMED_JSON = _registered(
    "malformed-json", 400, "Malformed JSON", "the body is not JSON (`line` and `column` locate the fault)"
)
MISSING_CREDENTIALS = _registered(
    "missing-credentials", 401, "Unauthorized", "no key (with `WWW-Authenticate`)"
)
MALFORMED_CREDENTIALS = _registered(
    "malformed-credentials",
    401,
    "Unauthorized",
    "an `Authorization` header that is not `Bearer <key>`, or a key that is not 8 to 256 letters, digits "
    'or -._~+/ (with `WWW-Authenticate: Bearer realm="chaos", error="invalid_request"`)',
)
UNKNOWN_KEY = _registered("unknown-key", 403, "Forbidden", "a key the configuration does not list")
MISSING_SCOPE = _registered(
    "missing-scope", 403, "Forbidden", "a known key without the operation's scope (`scope` names it)"
)
UNKNOWN_MODEL = _registered(
    "unknown-model",
    404,
    "Unknown model version",
    "`?model=` names no servable version (`allowed` lists them)",
)
CONFLICTING_OUTCOMES = _registered(
    "conflicting-outcomes",
    409,
    "Conflicting outcomes",
    "a report would change what is known of a contact (send `?replace=true` to apply it)",
)
BODY_TOO_LARGE = _registered(
    "body-too-large",
    413,
    "Request Entity Too Large",
    "the body is over the route's byte limit: 64 KiB for one customer, 1 KiB per row of the batch's row "
    "limit (`limit`, in bytes)",
)
TOO_MANY_ROWS = _registered(
    "too-many-rows",
    413,
    "Too many rows",
    "a batch or a report of more rows than `api.batch_max_rows` (`limit`, in rows)",
)
UNSUPPORTED_MEDIA_TYPE = _registered(
    "unsupported-media-type",
    415,
    "Unsupported Media Type",
    "not `application/json` (or `text/csv` where a batch or report accepts it)",
)
INVALID_FIELDS = _registered(
    "invalid-fields",
    422,
    "Invalid fields",
    "fields out of range, labels the model does not know, unknown fields, a bad query flag (`errors`, "
    "`error_count`; `row` and, in CSV, `line` locate a list's bad rows)",
)
STALE_INDICATORS = _registered(
    "stale-indicators",
    422,
    "Socio-economic indicators too old",
    "the indicators for the date are older than `socio_eco.max_age_days`; in a batch, a 200 with this "
    "`problem` on the row",
)
NO_INDICATORS = _registered(
    "no-indicators",
    422,
    "No socio-economic indicators for this date",
    "no indicators dated before the date (`allowed` gives the first date that can be scored); in a "
    "batch, a 200 with this `problem` on the row",
)
UNKNOWN_CONTACTS = _registered(
    RefusalReason.UNKNOWN_CONTACTS,
    422,
    "Unknown contacts",
    "`POST /outcomes` sends a status alone for a contact never reported with its date and fields, or "
    "reports a contact chaos never scored with its id nor imported (`outcomes.unknown_contacts`); "
    "nothing was recorded",
)
REPORT_VOLUME_EXCEEDED = _registered(
    RefusalReason.VOLUME_EXCEEDED,
    429,
    "Daily report volume exceeded",
    "`POST /outcomes` would take its key past `outcomes.max_daily_reports_per_key` rows today (UTC); "
    "nothing was recorded (`daily_limit`, `written_today`, `rows`, `key_id`; `Retry-After`: the next "
    "UTC midnight)",
)
REPORTS_BUSY = _registered(
    "reports-busy",
    429,
    "Other reports are being written",
    "`POST /outcomes` waited too long for other reports' writes; nothing was recorded (with "
    "`Retry-After`: send it again then)",
)
OUTCOMES_NOT_KEPT = _registered(
    "outcomes-not-kept",
    501,
    "Not Implemented",
    "`POST /outcomes` on a service configured without a store of reported outcomes",
)
DATABASE_UNAVAILABLE = _registered(
    "database-unavailable",
    503,
    "Database unavailable",
    "PostgreSQL cannot be read, or cannot record a report (with `Retry-After`: retry then)",
)
NOT_READY = _registered(
    "not-ready", 503, "Not ready", "`GET /ready`: the database does not answer (`checks` says what was found)"
)
HTTP_ERROR = _registered(
    None,
    None,
    None,
    "any other HTTP error, titled with its status's name: a path chaos does not serve (404), a method "
    "the path does not take (405, with `Allow`), an unexpected error (500, logged with the request id)",
)
