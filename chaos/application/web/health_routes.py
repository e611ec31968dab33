"""Probes for Kubernetes: `/health` says the process answers, `/ready` that it can score."""

from flask import Blueprint

from chaos.application.web.operations import Operation, schema
from chaos.application.web.problems import service_unavailable
from chaos.application.web.serving import current_serving
from chaos.domain.repositories import IndicatorsUnavailable

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
@Operation(
    "health",
    "Liveness",
    "The process answers; never reads the database.",
    answer={"application/json": {"schema": schema("Health")}},
    needs_key=False,
)
def health():
    """Liveness: never touches the database, so a database outage does not restart the pods."""
    return {"status": "alive"}


@blueprint.get("/ready")
@Operation(
    "ready",
    "Readiness",
    "The model is loaded and the database answers.",
    answer={"application/json": {"schema": schema("Readiness")}},
    problems={503: "not ready: `checks` says what failed"},
    needs_key=False,
)
def ready():
    """Readiness: the model is loaded (the app does not exist otherwise) and `SELECT 1` answers in time."""
    service = current_serving().service
    version = service.models.default.version
    checks = {"model": f"loaded version {version}"}
    try:
        service.check_database()
    except IndicatorsUnavailable as error:
        checks["database"] = f"unreachable: {error}"
        raise service_unavailable(
            "Not ready", f"database {checks['database']}", "not-ready", checks=checks
        ) from error
    checks["database"] = "ok"
    return {"status": "ready", "model_version": version, "checks": checks}
