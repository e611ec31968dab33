# chaos API image: gunicorn serving chaos.application.server:app on port 5000 (the default, last stage).
# No model inside: a pod fetches and verifies the champion of the configured model store at start
# (model.store, a bucket per environment) and follows its promotions (deployment/README.md).
# `--target train`: the retraining image (the retrain CronJob's), the same install plus chaos[train].
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

# The training extras on top of the serving install, from their own lock (exact versions, hashes
# checked; what it shares with requirements.lock is pinned to the same versions by `make lock`).
FROM builder AS train-builder
COPY requirements-train.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements-train.lock

# Retraining: `chaos retrain` (gated, signed, published to model.store), as the same non-root user.
FROM python:3.11-slim AS train
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CHAOS_CONFIGURATION_PATH=/secrets/config.yml
COPY --from=train-builder /opt/venv /opt/venv
WORKDIR /app
USER 10001:10001
CMD ["chaos", "retrain"]

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
USER 10001:10001
EXPOSE 5000
# The packaged gunicorn settings bind 0.0.0.0:5000 and keep worker heartbeats in /dev/shm (a tmpfs).
CMD ["gunicorn", "-c", "python:chaos.entrypoints.gunicorn_config", "chaos.application.server:app"]
