"""Pod rehearsal: the rendered master pod's shape (tests/pod/shape.py) with gunicorn from the wheel
installed as the Dockerfile installs it, answering a keyed client over TLS through the edge."""

import pytest
import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from tests.pod.edge_proxy import nginx
from tests.pod.shape import running_pod
from tests.support.installs import API_KEY, AUTHORIZATION, demo_data


def test_master_pod_scores_over_tls_through_the_edge(image_like_app, engine, database_settings, tmp_path):
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    demo_data(engine)
    models = image_like_app.workdir / "models"
    with running_pod(
        database_settings, models, [key_hash(API_KEY)], tmp_path, bin_dir=image_like_app.venv_bin
    ) as pod:
        assert requests.get(f"{pod.url}/ready", timeout=10, verify=pod.certificate).status_code == 200
        answer = requests.post(
            f"{pod.url}/appetence",
            json=EXAMPLE_REQUEST,
            headers=AUTHORIZATION,
            timeout=10,
            verify=pod.certificate,
        )
        assert answer.status_code == 200, answer.text
        assert 0 <= answer.json()["appetence"] <= 1
