"""Freshness of the socio-economic indicators as the service shows it: the 422 answer to a stale
score, the `chaos_socio_eco_age_days` gauge and the `/ready` report.

Readiness deliberately does not fail on stale data: the table is shared by every pod, so failing
readiness would take the whole service out at once, including requests with an older `date` that
can still be scored. Stale data is a data problem: each affected request gets a 422 saying so, and
the gauge lets an alert reach whoever refreshes `socio_eco`.
"""

from datetime import date

from flask import Response
from prometheus_client import Gauge

from chaos.application.web.problems import Problem
from chaos.domain.freshness import StaleIndicators, age_days
from chaos.domain.repositories import IndicatorsUnavailable, SocioEcoRepository

AGE = Gauge(
    "chaos_socio_eco_age_days",
    "Days between today and the newest complete socio_eco month (updated when /metrics or /ready is read)",
    multiprocess_mode="mostrecent",
)


def stale_problem(error: StaleIndicators) -> Response:
    first = error.stale[min(error.stale)]
    rows = [
        {
            "row": index,
            "field": "date",
            "message": f"indicators dated {s.socio_eco_date}, {s.age_days} days before {s.contact_date}",
        }
        for index, s in sorted(error.stale.items())
    ]
    return Problem(
        422,
        "Socio-economic indicators too old",
        f"{error}; refresh socio_eco or score an earlier date (limit: socio_eco.max_age_days)",
        slug="stale-indicators",
        errors=rows if len(rows) > 1 else [{key: v for key, v in rows[0].items() if key != "row"}],
        socio_eco_date=first.socio_eco_date.isoformat(),
        age_days=first.age_days,
        max_age_days=error.max_age_days,
        newest_month=error.newest.isoformat() if error.newest else None,
        stale_rows=len(rows),
    ).response()


def report(repository: SocioEcoRepository, max_age_days: int, today: date | None = None) -> str:
    """The newest complete month and its age for `/ready`, setting the gauge on the way."""
    try:
        known = repository.known_range()
    except IndicatorsUnavailable as error:
        return f"unknown: {error}"
    if known is None:
        return "empty: no complete month, nothing can be scored"
    age = age_days(known[1], today or date.today())
    AGE.set(age)
    state = "fresh" if age <= max_age_days else "STALE: scores of today are refused (422)"
    return f"newest complete month {known[1]}, {age} days old, limit {max_age_days}: {state}"
