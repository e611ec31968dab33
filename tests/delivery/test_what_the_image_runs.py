"""The Dockerfile's CMD, run on the image's install (the lock and the wheel, no extras: no scikit-learn,
pandas or scipy) with the files the Dockerfile copies, answers POST /appetence: the package ships
everything serving needs (migrations, assets, model code) and the command, config path and working
directory fit together."""

import subprocess

import yaml

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.models.signing import public_text
from harness.publisher import PUBLISHER
from tests.support.installs import API_KEY, database_section, demo_data


def test_the_image_command_serves_appetence(image_like_app, engine, database_settings, tmp_path):
    demo_data(engine)
    config = tmp_path / "config.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "database": database_section(database_settings),
                "model": {"directory": str(image_like_app.models), "public_keys": [public_text(PUBLISHER)]},
                "api": {"keys": [key_hash(API_KEY)]},
            }
        )
    )
    environment = {"CHAOS_CONFIGURATION_PATH": str(config), "WEB_CONCURRENCY": "1"}
    server = image_like_app.server(environment, tmp_path / "log")
    with server.start():
        answer = server.post("/appetence", json=EXAMPLE_REQUEST)
        assert answer.status_code == 200, answer.text
        assert 0 <= answer.json()["appetence"] <= 1

    imported_from = subprocess.run(
        [str(image_like_app.venv_bin / "python"), "-c", "import chaos; print(chaos.__file__)"],
        cwd=image_like_app.workdir,
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert imported_from.startswith(str(image_like_app.venv_bin.parent)), imported_from
