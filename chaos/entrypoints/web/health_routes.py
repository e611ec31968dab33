"""Probes for Kubernetes: `/health` says the process answers, `/ready` that it can score."""

import logging
from collections.abc import Callable

from flask import Blueprint

from chaos.application.scoring_service import Freshness, ScoringService
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.entrypoints.web.calibration_schema import describe_calibration
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.operations import Operation, schema
from chaos.entrypoints.web.problem_types import NOT_READY
from chaos.entrypoints.web.problems import service_unavailable

blueprint = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@blueprint.get("/health")
@Operation(
    "health",
    "Liveness",
    "The process answers; never reads the database.",
    answer={"application/json": {"schema": schema("Health")}},
    scope=None,
    needs_key=False,
)
def health():
    """Liveness: never touches the database, so a database outage does not restart the pods."""
    return {"status": "alive"}


@blueprint.get("/ready")
@Operation(
    "ready",
    "Readiness",
    "The model is loaded and the database answers; `checks.socio_eco` reports the indicators' "
    "freshness and `checks.calibration` the outcomes' without failing readiness.",
    answer={"application/json": {"schema": schema("Readiness")}},
    scope=None,
    problems={503: "not ready: `checks` says what failed"},
    needs_key=False,
)
def ready():
    """Readiness: the model is loaded (the app does not exist otherwise) and `SELECT 1` answers in time.

    The indicators' freshness is reported in `checks.socio_eco` but never fails readiness: every
    pod reads the same table, so failing would take the whole service out at once, including the
    requests with earlier dates that can still be scored. Stale data is a data problem, answered
    per request (422) and shown by the `chaos_socio_eco_age_days` gauge. The same goes for the
    outcomes behind today's calibration (`checks.calibration`, `chaos_outcomes_age_days`): a stale
    calibration is still served, flagged in each answer. The answer needs no key, so it names no
    host, port or driver message: the log has them, with the request id."""
    service = current_serving().service
    version = service.models.default.version
    checks = {"model": f"loaded version {version}"}
    try:
        service.check_database()
    except IndicatorsUnavailable as error:
        logger.warning("not ready: database unreachable: %s", error)  # the driver's words stay in the log
        checks["database"] = "unreachable"
        raise service_unavailable(NOT_READY, "the database does not answer", checks=checks) from error
    checks["database"] = "ok"
    checks["socio_eco"] = _freshness(service)
    checks["calibration"] = _calibration(service)
    return {"status": "ready", "model_version": version, "checks": checks}


def _freshness(service: ScoringService) -> str:
    return _described("socio_eco freshness", lambda: describe_freshness(service.freshness()))


def describe_freshness(freshness: Freshness) -> str:
    if freshness.newest_month is None:
        return "empty: no complete month, nothing can be scored"
    state = "STALE: scores of today are refused (422)" if freshness.stale else "fresh"
    age = f"{freshness.age_days} days old, limit {freshness.max_age_days}"
    return f"newest complete month {freshness.newest_month}, {age}: {state}"


def _calibration(service: ScoringService) -> str:
    return _described("calibration", lambda: describe_calibration(service.calibration_today()))


def _described(what: str, describe: Callable[[], str]) -> str:
    """A check reported, not failed: the database's words stay in the log."""
    try:
        return describe()
    except IndicatorsUnavailable as error:
        logger.warning("%s unknown: %s", what, error)
        return "unknown: the database does not answer"
