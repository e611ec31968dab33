# chaos API image: gunicorn serving chaos.application.server:app on port 5000.
# The build context must hold models/ (a trained artifact folder with its CHAMPION marker): CI
# fetches it before building (.gitlab-ci.yml); locally run `chaos train` with model.directory: models.
# checkov:skip=CKV_DOCKER_2: Kubernetes ignores HEALTHCHECK; the pod's probes check the app (deployment/)

# Builder: installs the locked serving dependencies (exact versions, hashes checked) into /opt/venv,
# then the chaos wheel without resolving anything more: no extras, so no scikit-learn, pandas or scipy.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock pyproject.toml ./
COPY chaos ./chaos
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes -r requirements.lock \
    && pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --no-deps /wheels/chaos-*.whl

# Runtime: no compilers, no sources, no wheels; a non-root user on a read-only root filesystem.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CHAOS_CONFIGURATION_PATH=/secrets/config.yml
RUN groupadd --system --gid 10001 chaos \
    && useradd --system --uid 10001 --gid chaos --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin chaos
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY models ./models
# Fail the build, not the rollout, when the baked model cannot be served by this code.
RUN python -c "from chaos.infrastructure.models.artifacts import ArtifactStore; ArtifactStore('models').load()"
USER 10001:10001
EXPOSE 5000
# The packaged gunicorn settings bind 0.0.0.0:5000 and keep worker heartbeats in /dev/shm (a tmpfs).
CMD ["gunicorn", "-c", "python:chaos.entrypoints.gunicorn_config", "chaos.application.server:app"]
