"""Probes for Kubernetes: `/health` says the process answers, `/ready` that it can score."""

from flask import Blueprint

from chaos.application.web import freshness
from chaos.application.web.problems import service_unavailable
from chaos.application.web.serving import current_serving
from chaos.domain.repositories import IndicatorsUnavailable

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    """Liveness: never touches the database, so a database outage does not restart the pods."""
    return {"status": "alive"}


@blueprint.get("/ready")
def ready():
    """Readiness: the model is loaded (the app does not exist otherwise) and `SELECT 1` answers in time.

    The indicators' freshness is reported but never fails readiness (see web.freshness)."""
    serving = current_serving()
    checks = {"model": f"loaded version {serving.model.version}"}
    try:
        serving.database.ping()
    except IndicatorsUnavailable as error:
        checks["database"] = f"unreachable: {error}"
        raise service_unavailable(
            "Not ready", f"database {checks['database']}", "not-ready", checks=checks
        ) from error
    checks["database"] = "ok"
    checks["socio_eco"] = freshness.report(serving.database.repository, serving.max_age_days)
    return {"status": "ready", "model_version": serving.model.version, "checks": checks}
