"""Pod rehearsal (`make pod`): the master pod's app container, run as Kubernetes would run it — the
image's command, the image's and the manifest's environment, its volumes as local folders shaped
like the mounted Secret — with a TCP proxy standing in for the Cloud SQL proxy on the address
the production configuration names, in front of the embedded PostgreSQL."""

import socket
from pathlib import Path

import pytest
import yaml

from chaos.application.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from tests.delivery.tools import DEPLOYMENT, app_container, flags, pod_spec, proxy_container
from tests.support.fault_proxy import FaultProxy
from tests.support.installs import API_KEY, demo_data


def test_master_pod_serves_through_the_proxy_address(image_like_app, engine, database_settings, tmp_path):
    demo_data(engine)
    spec, container = pod_spec("master"), app_container("master")
    assert "command" not in container and "args" not in container, "the image's CMD must stay the only one"
    secret = _secret_shaped_like_the_real_one(tmp_path)
    mounts = _mount_volumes(spec, container, secret, tmp_path / "volumes")

    pod_env = {item["name"]: _relocated(item["value"], mounts) for item in container["env"]}
    server = image_like_app.server(pod_env, tmp_path / "log")

    proxy = flags(proxy_container("master"))
    proxy_address = (proxy["address"], int(proxy["port"]))
    database = yaml.safe_load(secret["config.yml"])["database"]
    assert (database["host"], database["port"]) == proxy_address
    if not _free(proxy_address):
        pytest.skip(f"{proxy_address[0]}:{proxy_address[1]} is taken on this machine: no room for the proxy")
    database = (database_settings.host, database_settings.port)
    with FaultProxy(database, *proxy_address), server.start():
        assert server.get("/ready").status_code == 200
        answer = server.post("/appetence", json=EXAMPLE_REQUEST)
        assert answer.status_code == 200, answer.text
        assert 0 <= answer.json()["appetence"] <= 1


def _secret_shaped_like_the_real_one(tmp_path: Path) -> dict[str, str]:
    """The Secret the runbook creates: deployment/config.example.yml with a password, and a key file
    (unused here: the stand-in proxy needs no credentials)."""
    config = yaml.safe_load((DEPLOYMENT / "config.example.yml").read_text())
    config["database"]["password"] = "rehearsal"  # pragma: allowlist secret
    config["api"]["keys"] = [key_hash(API_KEY)]
    return {"config.yml": yaml.safe_dump(config), "key.json": '{"type": "service_account"}'}


def _mount_volumes(spec: dict, container: dict, secret: dict[str, str], root: Path) -> dict[str, Path]:
    """mountPath → local folder: secret volumes get the projected items, emptyDirs stay empty."""
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    mounts = {}
    for mount in container["volumeMounts"]:
        folder = root / mount["name"]
        folder.mkdir(parents=True)
        volume = volumes[mount["name"]]
        if "secret" in volume:
            assert volume["secret"]["secretName"] == "chaos-secrets"
            for item in volume["secret"]["items"]:
                (folder / item["path"]).write_text(secret[item["key"]])
        else:
            assert "emptyDir" in volume, f"volume {mount['name']} cannot be rehearsed"
        mounts[mount["mountPath"]] = folder
    return mounts


def _relocated(value: str, mounts: dict[str, Path]) -> str:
    for mount_path, folder in mounts.items():
        if value == mount_path or value.startswith(mount_path.rstrip("/") + "/"):
            return str(folder) + value[len(mount_path.rstrip("/")) :]
    return value


def _free(address: tuple[str, int]) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(address)
        except OSError:
            return False
    return True
