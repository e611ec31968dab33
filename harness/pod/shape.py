"""The production pod's shape on this machine, built from the rendered master manifests.

Its three containers as Kubernetes runs them: the edge (nginx with the ConfigMap's nginx.conf and a
self-signed certificate where the pod mounts the `chaos-tls` Secret), the app (the image's command
with the image's and the manifest's environment, in a working folder holding what the Dockerfile
copies, and a config.yml shaped like the `chaos-secrets` Secret) and, for the Cloud SQL proxy, a TCP
stand-in on the proxy's address in front of a real PostgreSQL. Ports move to free ones on
127.0.0.1 (except the edge's TLS port when asked for), folders to a local root; nothing else changes.
"""

import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.models.signing import public_text
from harness.delivery import (
    DEPLOYMENT,
    REPO,
    Dockerfile,
    app_container,
    config_maps,
    container_env,
    edge_container,
    flags,
    pod_spec,
    proxy_container,
)
from harness.fault_proxy import FaultProxy
from harness.network import free_port
from harness.pod.certificate import self_signed
from harness.pod.edge_proxy import EdgeProxy, Moves
from harness.publisher import PUBLISHER
from harness.server import ServerProcess

ENVIRONMENT = "master"


@dataclass(frozen=True)
class Pod:
    edge: EdgeProxy
    app: ServerProcess
    root: Path
    database: FaultProxy
    """The Cloud SQL proxy's stand-in: `down()` stops the database as the pod sees it."""

    @property
    def url(self) -> str:
        return self.edge.url

    @property
    def internal_url(self) -> str:
        return self.edge.internal_url

    @property
    def certificate(self) -> Path:
        """The edge's self-signed certificate, for clients that verify it."""
        return self.edge.certificate


@contextlib.contextmanager
def running_pod(
    database: DatabaseSettings,
    model: dict,
    key_hashes: list[str],
    root: Path,
    https_port: int | None = None,
    bin_dir: Path = Path(sys.executable).parent,
    storage_emulator: str | None = None,
) -> Iterator[Pod]:
    """The pod serving on https://127.0.0.1:`https_port` (a free port if None) until the context ends;
    then stopped as the kubelet stops it (SIGQUIT to nginx, SIGTERM to gunicorn). The image's command
    runs from `bin_dir`: this environment's, or a virtualenv where the wheel is installed. `model`
    replaces keys of the `model` section (the bucket, its public keys), and `storage_emulator` is where
    the Cloud Storage client goes instead of Google (STORAGE_EMULATOR_HOST)."""
    spec, app = pod_spec(ENVIRONMENT), app_container(ENVIRONMENT)
    mounts = {mount["name"]: mount["mountPath"] for mount in app["volumeMounts"]}
    folders = {name: root / "volumes" / name for name in mounts}
    for folder in folders.values():
        folder.mkdir(parents=True)

    app_port = free_port()
    environment = _app_environment(app, mounts, folders, app_port, bin_dir)
    if storage_emulator:
        environment["STORAGE_EMULATOR_HOST"] = storage_emulator
    workdir = _image_workdir(root / "app")
    command = [str(bin_dir / Dockerfile().cmd[0]), *Dockerfile().cmd[1:]]
    gunicorn = ServerProcess(command, environment, workdir, f"http://127.0.0.1:{app_port}", root / "app.log")
    nginx = edge_in_front_of(app_port, root / "edge", https_port)

    proxy = flags(proxy_container(ENVIRONMENT))
    with FaultProxy((database.host, database.port), host=proxy["address"]) as stand_in:
        _write_secret(spec, app, folders, mounts, stand_in.address[1], key_hashes, model)
        try:
            gunicorn.start()
            nginx.start()
            yield Pod(nginx, gunicorn, root, stand_in)
        finally:
            nginx.stop()
            gunicorn.stop()


def local_store(models: Path) -> dict:
    """The `model` section of a pod reading a local model directory signed by harness PUBLISHER (the
    suites that attack the pod, not its model store), instead of the production bucket: never the
    demo key, refused on the pod's external database."""
    return {"store": None, "directory": models, "public_keys": [public_text(PUBLISHER)]}


def edge_in_front_of(app_port: int, root: Path, https_port: int | None = None) -> EdgeProxy:
    """The pod's edge as the master manifests configure it (its ConfigMap's nginx.conf, a self-signed
    certificate where the `chaos-tls` Secret is mounted), forwarding to 127.0.0.1:`app_port`."""
    edge, app = edge_container(ENVIRONMENT), app_container(ENVIRONMENT)
    mounts = {mount["name"]: mount["mountPath"] for mount in edge["volumeMounts"]}
    for folder in ("edge-tmp", "edge-tls"):
        (root / folder).mkdir(parents=True)
    certificate, _ = self_signed(root / "edge-tls")
    ports = {port["name"]: port["containerPort"] for port in edge["ports"]}
    moves = Moves(
        https_port=(ports["https"], https_port or free_port()),
        internal_port=(ports["internal"], free_port()),
        upstream=(container_env(app)["CHAOS_BIND"], f"127.0.0.1:{app_port}"),
        tmp=(mounts["edge-tmp"], root / "edge-tmp"),
        tls=(mounts["edge-tls"], root / "edge-tls"),
    )
    config = config_maps(ENVIRONMENT)["chaos-edge"]["data"][_edge_config_file(edge, mounts)]
    return EdgeProxy(moves.apply(config), root, moves, certificate)


def _write_secret(spec, app, folders, mounts, port: int, key_hashes: list[str], model: dict) -> None:
    """config.yml as the runbook makes it from config.example.yml, with the stand-in's port (5432 may
    be taken here), the rehearsal's bucket and keys, and the models' local copy in the pod's volume
    as laid out here."""
    config = yaml.safe_load((DEPLOYMENT / "config.example.yml").read_text())
    config["database"]["port"] = port
    copy = PurePosixPath(config["model"]["directory"])  # the local copy of the models, in a pod volume
    (volume,) = [name for name, mount in mounts.items() if copy.is_relative_to(mount)]
    config["model"]["directory"] = str(folders[volume] / copy.relative_to(mounts[volume]))
    config["model"] |= {key: str(value) if isinstance(value, Path) else value for key, value in model.items()}
    config["database"]["password"] = "rehearsal"  # pragma: allowlist secret
    config["api"]["keys"] = key_hashes
    path = PurePosixPath(container_env(app)["CHAOS_CONFIGURATION_PATH"])
    (name,) = [name for name, mount in mounts.items() if path.is_relative_to(mount)]
    assert _volume(spec, name)["secret"]["secretName"] == "chaos-secrets"
    (folders[name] / path.relative_to(mounts[name])).write_text(yaml.safe_dump(config))


def _app_environment(app: dict, mounts: dict, folders: dict, port: int, bin_dir: Path) -> dict[str, str]:
    """The image's ENV and the container's env, mount paths relocated, gunicorn on a free port."""
    image_env = {name: value for name, value in Dockerfile().env.items() if name != "PATH"}
    pod_env = {**image_env, **container_env(app), "CHAOS_BIND": f"127.0.0.1:{port}"}
    for name, value in pod_env.items():
        for volume, mount in mounts.items():
            if value == mount or value.startswith(mount.rstrip("/") + "/"):
                pod_env[name] = str(folders[volume]) + value[len(mount.rstrip("/")) :]
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(folders["tmp"]), **pod_env}


def _image_workdir(workdir: Path) -> Path:
    """The image's WORKDIR: what the Dockerfile copies from the build context (no model)."""
    workdir.mkdir()
    for source, destination in Dockerfile().context_copies():
        target = workdir / destination / (Path(source).name if destination.endswith("/") else "")
        shutil.copy(REPO / source, target)
    return workdir


def _edge_config_file(edge: dict, mounts: dict) -> str:
    """The ConfigMap key nginx reads: the `-c` argument of the edge's command, under its mount."""
    command = edge["command"]
    path = PurePosixPath(command[command.index("-c") + 1])
    assert path.parent == PurePosixPath(mounts["edge-config"]), f"{path} is not in the edge's ConfigMap"
    return path.name


def _volume(spec: dict, name: str) -> dict:
    (volume,) = [v for v in spec["volumes"] if v["name"] == name]
    return volume
