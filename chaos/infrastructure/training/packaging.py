"""A fitted pipeline as the files a model store publishes: the compiled scorer serving reads
(logistic_compiler) and the pickled pipeline kept as its reference."""

import io

import joblib

from chaos.infrastructure.models.artifacts import MODEL_FILE, SCORER_FILE, json_bytes
from chaos.infrastructure.training.logistic_compiler import compile_logistic


def packaged(pipeline) -> dict[str, bytes]:
    """Raises UncompilablePipeline for a pipeline that could not be served exactly: nothing to publish."""
    scorer = compile_logistic(pipeline)
    pickled = io.BytesIO()
    joblib.dump(pipeline, pickled)
    return {MODEL_FILE: pickled.getvalue(), SCORER_FILE: json_bytes(scorer.to_json())}
