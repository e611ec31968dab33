"""deployment/: every overlay renders with kustomize, validates strictly against Kubernetes 1.32, and
agrees with the image, gunicorn and the production configuration example on ports, paths and addresses."""

import os
import runpy
import subprocess
from pathlib import PurePosixPath
from unittest import mock

import pytest
import yaml

from chaos.infrastructure.config import load_settings
from tests.delivery.tools import (
    DEPLOYMENT,
    ENVIRONMENTS,
    REPO,
    Dockerfile,
    app_container,
    flags,
    pod_spec,
    proxy_container,
    rendered,
    rendered_text,
    run,
    tool,
)

CONFIG_EXAMPLE = DEPLOYMENT / "config.example.yml"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_overlay_renders_and_validates_strictly(environment):
    result = run(tool("kubernetes-validate"), "-k", "1.32", "--strict", "-", stdin=rendered_text(environment))
    assert "passed for resource deployment/chaos" in result.stdout


@pytest.mark.parametrize(("environment", "replicas"), [("develop", 1), ("staging", 1), ("master", 2)])
def test_replicas_per_environment(environment, replicas):
    assert rendered(environment)["Deployment"]["spec"]["replicas"] == replicas


def test_only_master_has_a_disruption_budget_that_keeps_a_pod():
    budget = rendered("master")["PodDisruptionBudget"]["spec"]
    assert budget["minAvailable"] == 1
    assert budget["selector"] == rendered("master")["Deployment"]["spec"]["selector"]
    assert all("PodDisruptionBudget" not in rendered(env) for env in ("develop", "staging"))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environment_label_and_namespace(environment):
    for document in rendered(environment).values():
        assert document["metadata"]["labels"]["environment"] == environment
        assert document["metadata"]["namespace"] == f"chaos-{environment}"  # deploy.sh waits there
    template_labels = rendered(environment)["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert template_labels["environment"] == environment


def test_every_environment_runs_the_same_image_repository():
    images = {app_container(env)["image"] for env in ENVIRONMENTS}
    assert len(images) == 1, images


def test_each_environment_names_its_own_cloud_sql_instance():
    names = {
        rendered(env)["ConfigMap"]["data"]["CSQL_PROXY_INSTANCE_CONNECTION_NAME"] for env in ENVIRONMENTS
    }
    assert len(names) == len(ENVIRONMENTS)
    assert all(len(name.split(":")) == 3 for name in names)  # project:region:instance


def test_proxy_is_a_pinned_native_sidecar_reading_the_instance_from_its_config_map():
    proxy = proxy_container("master")
    repository, _, version = proxy["image"].partition(":")
    assert repository == "gcr.io/cloud-sql-connectors/cloud-sql-proxy"
    assert version.split(".")[0] == "2" and version.count(".") == 2
    assert proxy["restartPolicy"] == "Always"
    assert proxy["startupProbe"]["httpGet"]["path"] == "/startup"
    config_map = rendered("master")["ConfigMap"]["metadata"]["name"]
    assert proxy["envFrom"] == [{"configMapRef": {"name": config_map}}]


def test_config_path_is_the_secret_mount_path_plus_the_file_name():
    path = _env(app_container("master"))["CHAOS_CONFIGURATION_PATH"]
    items, file_name = _secret_file(app_container("master"), path)
    assert {"key": "config.yml", "path": file_name} in items
    assert Dockerfile().env["CHAOS_CONFIGURATION_PATH"] == path


def test_proxy_credentials_file_is_the_key_of_the_same_secret():
    items, file_name = _secret_file(
        proxy_container("master"), flags(proxy_container("master"))["credentials-file"]
    )
    assert items == [{"key": "key.json", "path": file_name}]  # the proxy sees the key, not the config


def test_container_port_is_gunicorn_bind_port_probe_port_and_service_target():
    objects, container = rendered("master"), app_container("master")
    (port,) = container["ports"]
    bind = _gunicorn_settings(container)["bind"]
    host, _, bind_port = bind.rpartition(":")
    assert host == "0.0.0.0"  # the kubelet's probes and the Service reach the pod's IP
    assert int(bind_port) == port["containerPort"]
    assert Dockerfile().values("EXPOSE") == [str(port["containerPort"])]
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    (service_port,) = objects["Service"]["spec"]["ports"]
    assert objects["Service"]["spec"]["type"] == "LoadBalancer"
    assert service_port["port"] == 80
    assert service_port["targetPort"] in (port["name"], port["containerPort"])


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_rolling_update_drains_within_the_grace_period(environment):
    """preStop keeps serving while endpoints update; gunicorn then drains in-flight requests."""
    container = app_container(environment)
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    graceful = _gunicorn_settings(container)["graceful_timeout"]
    assert pre_stop >= 3
    assert pre_stop + graceful < pod_spec(environment)["terminationGracePeriodSeconds"]


def test_proxy_listens_where_the_production_configuration_points():
    settings = load_settings(CONFIG_EXAMPLE)
    proxy = flags(proxy_container("master"))
    assert settings.database.embedded is False
    assert (settings.database.host, settings.database.port) == (proxy["address"], int(proxy["port"]))


def test_production_configuration_example_uses_only_documented_keys_and_no_secret():
    template = yaml.safe_load((REPO / "config_template.yml").read_text())
    example = yaml.safe_load(CONFIG_EXAMPLE.read_text())
    for section, keys in example.items():
        assert set(keys) <= set(template[section]), f"{section}: keys not in config_template.yml"
    assert example["database"]["password"] == ""
    assert example["api"]["keys"] == []  # each deployment lists its own key hashes


def test_configured_model_directory_is_where_the_image_bakes_the_model():
    model_directory = load_settings(CONFIG_EXAMPLE).model.directory
    dockerfile = Dockerfile()
    baked = [
        PurePosixPath(dockerfile.workdir, destination) for source, destination in dockerfile.context_copies()
    ]
    assert PurePosixPath(dockerfile.workdir, model_directory) in baked


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pod_is_locked_down(environment):
    spec = pod_spec(environment)
    assert spec["securityContext"]["runAsNonRoot"] is True
    for container in [*spec["containers"], *spec["initContainers"]]:
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] != 0
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert "memory" in container["resources"]["limits"]


def test_deploy_script_pins_the_image_and_refuses_an_unpinned_one():
    tool("kubectl")
    script = str(DEPLOYMENT / "deploy.sh")
    pinned = run(script, "staging", "registry.example.com:5000/team/chaos:0a1b2c3", "--dry-run").stdout
    (deployment,) = [d for d in yaml.safe_load_all(pinned) if d["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example.com:5000/team/chaos:0a1b2c3"
    assert deployment["metadata"]["namespace"] == "chaos-staging"
    assert list(DEPLOYMENT.glob(".pinned-*")) == []  # its temporary kustomization is gone
    refused = _run_failing(script, "staging", "registry.example.com/team/chaos", "--dry-run")
    assert "has no tag" in refused
    assert "unknown environment" in _run_failing(script, "production", "chaos:1", "--dry-run")


def _run_failing(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    return result.stderr


def _gunicorn_settings(container: dict) -> dict:
    """The gunicorn settings evaluated with the environment the container gets (image ENV + pod env),
    leaving this process's environment as it was."""
    with mock.patch.dict(os.environ, {**Dockerfile().env, **_env(container)}, clear=True):
        return runpy.run_module("chaos.application.gunicorn_config")


def _env(container: dict) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container.get("env", [])}


def _secret_file(container: dict, path: str) -> tuple[list[dict], str]:
    """The items of the `chaos-secrets` volume mounted read-only where `path` lies, and `path`
    relative to that mount."""
    (mount,) = [m for m in container["volumeMounts"] if PurePosixPath(path).is_relative_to(m["mountPath"])]
    assert mount["readOnly"] is True
    (volume,) = [v for v in pod_spec("master")["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == "chaos-secrets"
    return volume["secret"]["items"], str(PurePosixPath(path).relative_to(mount["mountPath"]))
