"""Pod rehearsal: the rendered master pod's shape (harness/pod/shape.py) with gunicorn from the wheel
installed as the Dockerfile installs it, reading its model from an emulated bucket, answering a keyed
client over TLS through the edge, and following `chaos models promote` without a restart."""

import time

import pytest
import requests

from chaos.application.champion import promote
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.models.gcs_storage import GcsStorage
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import public_text
from chaos.infrastructure.training.packaging import packaged
from harness.gcs import BUCKET, upload
from harness.pod.edge_proxy import nginx
from harness.pod.shape import running_pod
from harness.publisher import PUBLISHER
from tests.support.installs import API_KEY, AUTHORIZATION, demo_data

REFRESH_SECONDS = 1


def test_master_pod_serves_from_the_bucket_over_tls_and_follows_a_promotion(
    image_like_app, engine, database_settings, tmp_path, gcs
):
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    demo_data(engine)
    upload(image_like_app.models, "rehearsal")
    store = ArtifactPublisher(GcsStorage(f"gs://{BUCKET}/rehearsal"), [public_text(PUBLISHER)], PUBLISHER)
    first = store.champion()
    model = {
        "store": f"gs://{BUCKET}/rehearsal",
        "public_keys": [public_text(PUBLISHER)],
        "refresh_seconds": REFRESH_SECONDS,
    }
    keys, bin_dir = [key_hash(API_KEY)], image_like_app.venv_bin
    with running_pod(
        database_settings, model, keys, tmp_path, bin_dir=bin_dir, storage_emulator=gcs.url
    ) as pod:

        def score() -> requests.Response:
            return requests.post(
                f"{pod.url}/appetence",
                json=EXAMPLE_REQUEST,
                headers=AUTHORIZATION,
                timeout=10,
                verify=pod.certificate,
            )

        assert requests.get(f"{pod.url}/ready", timeout=10, verify=pod.certificate).status_code == 200
        answer = score()
        assert answer.status_code == 200, answer.text
        assert 0 <= answer.json()["appetence"] <= 1 and answer.json()["model_version"] == first

        loaded = store.load(first)
        second = store.publish(packaged(loaded.pipeline), dict(loaded.metadata), champion=False)
        promote(store, second, force=True, command="chaos models promote --force")
        promoted, deadline = time.monotonic(), time.monotonic() + REFRESH_SECONDS + 5
        while score().json()["model_version"] != second:
            assert time.monotonic() < deadline, f"the pod did not follow {second} within refresh + 5 s"
            time.sleep(0.2)
        print(f"\npod followed the promotion in {time.monotonic() - promoted:.1f} s")
