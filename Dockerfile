# chaos API image: gunicorn serving chaos.application.server:app on port 5000 (DESIGN §6).
# The build context must hold models/ (a trained artifact folder with its CHAMPION marker): CI
# fetches it before building (.gitlab-ci.yml); locally run `chaos train` with model.directory: models.
# checkov:skip=CKV_DOCKER_2: Kubernetes ignores HEALTHCHECK; the pod's probes check the app (deployment/)

# Builder: builds the chaos wheel and installs it with its pinned dependencies into /opt/venv.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.txt setup.py pyproject.toml MANIFEST.in ./
COPY chaos ./chaos
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install /wheels/chaos-*.whl

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
COPY gunicorn.conf.py ./
COPY models ./models
# Fail the build, not the rollout, when the baked model cannot be served by this code.
RUN python -c "from chaos.infrastructure.models.artifacts import ArtifactStore; ArtifactStore('models').load()"
USER 10001:10001
EXPOSE 5000
# gunicorn.conf.py binds 0.0.0.0:5000 and keeps worker heartbeats in /dev/shm (a tmpfs, writable).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "chaos.application.server:app"]
