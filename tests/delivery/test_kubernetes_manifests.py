"""deployment/: every overlay renders with kustomize, validates strictly against Kubernetes 1.32, and
agrees with the image, gunicorn, the edge's nginx.conf and the production configuration example on
ports, paths and addresses."""

import base64
import os
import re
import runpy
import subprocess
from pathlib import PurePosixPath
from unittest import mock

import pytest
import yaml

from chaos.entrypoints.web.batch_routes import MAX_ROW_BYTES
from chaos.entrypoints.web.bounded_request import MAX_BODY_BYTES
from chaos.infrastructure.config import load_settings
from chaos.infrastructure.config.settings import DEMO_PUBLIC_KEY, ApiSettings
from harness.delivery import (
    DEPLOY_VALUES,
    DEPLOYMENT,
    ENVIRONMENTS,
    REPO,
    SAMPLE_IMAGE,
    Dockerfile,
    app_container,
    by_kind,
    config_maps,
    container_env,
    cron_jobs,
    deploy_environment,
    edge_container,
    flags,
    pinned_text,
    pod_spec,
    proxy_container,
    rendered,
    rendered_documents,
    rendered_text,
    run,
    tool,
)
from harness.pod.edge_proxy import directive, seconds

CONFIG_EXAMPLE = DEPLOYMENT / "config.example.yml"
EDGE_CONFIG = (DEPLOYMENT / "base" / "nginx.conf").read_text()
GKE_KINDS = {"ManagedCertificate", "PodMonitoring", "Rules", "OperatorConfig"}
"""Google's own resource kinds: Kubernetes publishes no schema for them."""
SCRIPT = str(DEPLOYMENT / "deploy.sh")
DIGEST = re.compile(r"^[^@]+@sha256:[0-9a-f]{64}$")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_overlay_renders_and_validates_strictly(environment):
    result = run(tool("kubernetes-validate"), "-k", "1.32", "--strict", "-", stdin=rendered_text(environment))
    kinds = [document["kind"] for document in rendered_documents(environment)]
    passed = re.findall(r"passed for resource (\w+)/", result.stdout + result.stderr)
    assert sorted(passed) == sorted(kind.lower() for kind in kinds if kind not in GKE_KINDS)


@pytest.mark.parametrize("environment", ["develop", "staging"])
def test_replicas_per_environment(environment):
    assert rendered(environment)["Deployment"]["spec"]["replicas"] == 1
    assert "HorizontalPodAutoscaler" not in rendered(environment)


def test_master_is_autoscaled_from_two_pods_spread_across_zones():
    objects = rendered("master")
    assert "replicas" not in objects["Deployment"]["spec"]  # the autoscaler owns the count
    autoscaler = objects["HorizontalPodAutoscaler"]["spec"]
    assert autoscaler["minReplicas"] == 2 and autoscaler["maxReplicas"] > 2
    assert autoscaler["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "chaos"}
    spread = {c["topologyKey"]: c for c in pod_spec("master")["topologySpreadConstraints"]}
    zone = spread["topology.kubernetes.io/zone"]
    assert zone["maxSkew"] == 1 and zone["whenUnsatisfiable"] == "DoNotSchedule"
    assert zone["labelSelector"]["matchLabels"] == objects["Deployment"]["spec"]["selector"]["matchLabels"]


def test_only_master_has_a_disruption_budget_that_keeps_a_pod():
    budget = rendered("master")["PodDisruptionBudget"]["spec"]
    assert budget["minAvailable"] == 1
    assert budget["selector"] == rendered("master")["Deployment"]["spec"]["selector"]
    assert all("PodDisruptionBudget" not in rendered(env) for env in ("develop", "staging"))


CLUSTER_WIDE = {("Secret", "alertmanager"), ("OperatorConfig", "config")}
"""The cluster's alert routing, in Managed Prometheus' namespace gmp-public, the same in every overlay."""


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environment_label_and_namespace(environment):
    for document in rendered_documents(environment):
        assert document["metadata"]["labels"]["environment"] == environment
        cluster_wide = (document["kind"], document["metadata"]["name"]) in CLUSTER_WIDE
        namespace = "gmp-public" if cluster_wide else f"chaos-{environment}"  # deploy.sh waits there
        assert document["metadata"]["namespace"] == namespace
    template_labels = rendered(environment)["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert template_labels["environment"] == environment


def test_every_environment_runs_the_same_image_repository():
    images = {app_container(env)["image"] for env in ENVIRONMENTS}
    assert len(images) == 1, images


def test_each_environment_names_its_own_cloud_sql_instance():
    names = {
        config_maps(env)["cloud-sql-instance"]["data"]["CSQL_PROXY_INSTANCE_CONNECTION_NAME"]
        for env in ENVIRONMENTS
    }
    assert len(names) == len(ENVIRONMENTS)
    assert all(len(name.split(":")) == 3 for name in names)  # project:region:instance


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_environment_points_at_another_one_database(environment):
    """The runbook names each instance chaos-<environment>: a copied overlay that still names another
    environment's instance (develop writing to production's) fails here."""
    name = config_maps(environment)["cloud-sql-instance"]["data"]["CSQL_PROXY_INSTANCE_CONNECTION_NAME"]
    assert name.split(":")[2] == f"chaos-{environment}"


def test_proxy_is_a_pinned_native_sidecar_reading_the_instance_from_its_config_map():
    proxy = proxy_container("master")
    repository, _, version = proxy["image"].partition(":")
    assert repository == "gcr.io/cloud-sql-connectors/cloud-sql-proxy"
    assert version.split(".")[0] == "2" and version.count(".") == 2
    assert proxy["restartPolicy"] == "Always"
    assert proxy["startupProbe"]["httpGet"]["path"] == "/startup"
    config_map = config_maps("master")["cloud-sql-instance"]["metadata"]["name"]
    assert proxy["envFrom"] == [{"configMapRef": {"name": config_map}}]


def test_config_path_is_the_secret_mount_path_plus_the_file_name():
    path = container_env(app_container("master"))["CHAOS_CONFIGURATION_PATH"]
    items, file_name = _secret_file(app_container("master"), path)
    assert {"key": "config.yml", "path": file_name} in items
    assert Dockerfile().env["CHAOS_CONFIGURATION_PATH"] == path


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_workload_holds_a_key_file_workload_identity_gives_the_credentials(environment):
    """The proxy and the bucket client take short-lived tokens from the GKE metadata server as the
    pod's service account: no key file is mounted, named or pointed at, in any pod."""
    for name, spec in _pod_specs(environment).items():
        (proxy,) = [c for c in spec["initContainers"] if c["name"] == "cloud-sql-proxy"]
        assert "credentials-file" not in flags(proxy), name
        for container in [*spec["containers"], *spec["initContainers"]]:
            assert "GOOGLE_APPLICATION_CREDENTIALS" not in container_env(container), name
        items = [
            item["key"] for v in spec["volumes"] if "secret" in v for item in v["secret"].get("items", [])
        ]
        assert not [key for key in items if key.endswith(".json")], f"{name} mounts {items}"
    assert "key.json" not in rendered_text(environment) and "credentials-file" not in rendered_text(
        environment
    )


def test_gunicorn_listens_on_the_loopback_where_the_edge_forwards():
    bind = _gunicorn_settings(app_container("master"))["bind"]
    assert bind.startswith("127.0.0.1:")  # nothing outside the pod reaches the sync workers
    assert directive(EDGE_CONFIG, "server") == bind
    assert "ports" not in app_container("master")
    assert Dockerfile().values("EXPOSE") == [bind.rpartition(":")[2]]


def test_the_edge_writes_the_access_log_and_gunicorn_does_not():
    assert _gunicorn_settings(app_container("master"))["accesslog"] is None
    assert "access_log /dev/stdout json;" in EDGE_CONFIG  # the API's server; the internal one logs nothing
    assert '"request_id":"$chaos_request_id"' in EDGE_CONFIG
    assert "proxy_set_header X-Request-ID $chaos_request_id;" in EDGE_CONFIG
    public, internal = EDGE_CONFIG.split("listen 8080;")  # the app keys /monitoring on the public side
    assert "proxy_set_header X-Chaos-Edge public;" in public and "location = /monitoring" in internal


def test_app_probes_run_in_its_container_and_liveness_asks_no_worker():
    container = app_container("master")
    host, _, port = _gunicorn_settings(container)["bind"].rpartition(":")
    for probe in ("startupProbe", "livenessProbe"):
        code = container[probe]["exec"]["command"][-1]
        assert "socket.create_connection" in code and f"('{host}', {port})" in code
    assert f"http://{host}:{port}/ready" in container["readinessProbe"]["exec"]["command"][-1]


def test_edge_serves_tls_and_its_own_liveness_and_reads_the_generated_config():
    edge, spec = edge_container("master"), pod_spec("master")
    ports = {port["name"]: port["containerPort"] for port in edge["ports"]}
    assert f"listen {ports['https']} ssl;" in EDGE_CONFIG
    assert f"listen {ports['internal']};" in EDGE_CONFIG
    assert edge["livenessProbe"]["httpGet"] == {"path": "/livez", "port": "internal"}
    assert "location = /livez" in EDGE_CONFIG
    assert edge["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "https", "scheme": "HTTPS"}
    mounts = {mount["name"]: mount["mountPath"] for mount in edge["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    config_map = config_maps("master")["chaos-edge"]
    assert volumes["edge-config"]["configMap"]["name"] == config_map["metadata"]["name"]
    assert edge["command"][edge["command"].index("-c") + 1] == f"{mounts['edge-config']}/nginx.conf"
    assert config_map["data"]["nginx.conf"] == EDGE_CONFIG  # make pod runs the very same file
    assert volumes["edge-tls"]["secret"]["secretName"] == "chaos-tls"
    for file in ("tls.crt", "tls.key"):
        assert f"{mounts['edge-tls']}/{file};" in EDGE_CONFIG


def test_edge_admits_every_body_the_app_admits_and_little_more():
    limit = directive(EDGE_CONFIG, "client_max_body_size")
    assert limit.endswith("m")
    edge_bytes, app_bytes = int(limit[:-1]) * 1024 * 1024, ApiSettings().batch_max_rows * MAX_ROW_BYTES
    assert app_bytes <= edge_bytes < app_bytes + 1024 * 1024
    buffered = directive(EDGE_CONFIG, "client_body_buffer_size")
    assert int(buffered.removesuffix("k")) * 1024 >= MAX_BODY_BYTES  # single requests stay in memory


def test_service_is_private_and_the_ingress_serves_only_https():
    objects = rendered("master")
    service = objects["Service"]
    assert service["spec"]["type"] == "ClusterIP"
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "https" and port["port"] == 443
    protocols = yaml.safe_load(service["metadata"]["annotations"]["cloud.google.com/app-protocols"])
    assert protocols == {port["name"]: "HTTPS"}  # the load balancer talks TLS to the edge too
    ingress, certificate = objects["Ingress"], objects["ManagedCertificate"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["kubernetes.io/ingress.allow-http"] == "false"
    assert annotations["networking.gke.io/managed-certificates"] == certificate["metadata"]["name"]
    assert ingress["spec"]["defaultBackend"]["service"] == {"name": "chaos", "port": {"name": "https"}}
    assert certificate["spec"]["domains"] == []  # deploy.sh names the environment's domain


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_network_policy_admits_the_load_balancer_and_the_scraper_only(environment):
    policy = rendered(environment)["NetworkPolicy"]["spec"]
    edge_ports = {port["name"]: port["containerPort"] for port in edge_container(environment)["ports"]}
    (selector,) = policy["podSelector"]["matchExpressions"]
    assert selector["key"] == "app.kubernetes.io/name" and selector["operator"] == "In"
    labels = {spec_labels["app.kubernetes.io/name"] for spec_labels in _pod_labels(environment).values()}
    assert set(selector["values"]) == labels  # every pod of chaos, jobs and canary included
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    admitted = {port["port"] for rule in policy["ingress"] for port in rule["ports"]}
    assert admitted == {edge_ports["https"], edge_ports["internal"]}
    allowed_out = {port["port"] for rule in policy["egress"] for port in rule["ports"]}
    assert allowed_out == {53, 443, 3307, 80, 988}  # 443: Cloud SQL Admin and Storage APIs
    metadata_server = [
        rule for rule in policy["egress"] if {port["port"] for port in rule["ports"]} & {80, 988}
    ]
    assert [rule["to"][0]["ipBlock"]["cidr"] for rule in metadata_server] == [
        "169.254.169.254/32",
        "169.254.169.252/32",
    ]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pods_act_as_their_environment_google_service_accounts_through_workload_identity(environment):
    """The API, the canary, calibrate and monitor read the bucket as `chaos`; retrain alone, which
    publishes models, runs as `chaos-retrain`. Each names its environment's Google service account."""
    accounts = by_kind(environment)["ServiceAccount"]
    for name, account in accounts.items():
        assert account["automountServiceAccountToken"] is False
        google = account["metadata"]["annotations"]["iam.gke.io/gcp-service-account"]
        assert google.startswith(f"{name}-{environment}@") and google.endswith(".iam.gserviceaccount.com")
    used = {name: spec["serviceAccountName"] for name, spec in _pod_specs(environment).items()}
    assert used == {
        "chaos": "chaos",
        "chaos-canary": "chaos",
        "chaos-calibrate": "chaos",
        "chaos-monitor": "chaos",
        "chaos-retrain": "chaos-retrain",
        "chaos-served-purge": "chaos",
    }
    assert set(used.values()) == set(accounts)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_image_but_chaos_is_pinned_by_digest(environment):
    for spec in _pod_specs(environment).values():
        for container in [*spec["containers"], *spec["initContainers"]]:
            if container["name"] != "chaos":  # deploy.sh pins chaos and chaos-train by digest
                assert DIGEST.match(container["image"]), container["image"]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_rolling_update_drains_within_the_grace_period(environment):
    """Both keep accepting while endpoints update; the edge stops first (its in-flight requests still
    reach gunicorn), then gunicorn drains; all within the grace period."""
    app, edge = app_container(environment), edge_container(environment)
    grace = pod_spec(environment)["terminationGracePeriodSeconds"]
    app_stop, edge_stop = (c["lifecycle"]["preStop"]["sleep"]["seconds"] for c in (app, edge))
    assert 3 <= edge_stop < app_stop
    assert app_stop + _gunicorn_settings(app)["graceful_timeout"] < grace
    assert edge_stop + seconds(directive(EDGE_CONFIG, "worker_shutdown_timeout")) < grace


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


def test_production_reads_its_models_from_a_bucket_with_its_own_keys():
    model = load_settings(CONFIG_EXAMPLE).model
    assert model.store is not None and model.store.startswith("gs://")
    assert DEMO_PUBLIC_KEY not in model.public_keys and model.signing_key_file is None  # pods only verify


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_pod_is_locked_down(environment):
    for spec in _pod_specs(environment).values():
        _assert_locked_down(spec)


def _assert_locked_down(spec: dict) -> None:
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["automountServiceAccountToken"] is False
    for container in [*spec["containers"], *spec["initContainers"]]:
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] != 0
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])


def test_deploy_script_applies_the_image_by_digest_and_refuses_a_tag():
    tool("kubectl")
    image = "registry.example.com:5000/team/chaos@sha256:" + "0a1b2c3d" * 8
    pinned = list(yaml.safe_load_all(pinned_text("staging", image)))
    (deployment,) = [d for d in pinned if d["kind"] == "Deployment" and d["metadata"]["name"] == "chaos"]
    (container,) = [c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "chaos"]
    assert container["image"] == image
    assert deployment["metadata"]["namespace"] == "chaos-staging"
    assert list(DEPLOYMENT.glob(".pinned-*")) == []  # its temporary kustomization is gone
    refused = _run_failing(SCRIPT, "staging", "registry.example.com/team/chaos:0a1b2c3", "--dry-run")
    assert "not pinned by digest" in refused
    assert "unknown environment" in _run_failing(SCRIPT, "production", image, "--dry-run")


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_deploy_script_names_the_domain_and_the_runbook_page_of_the_environment(environment):
    """The one place of an environment's domain and runbook address is the deploy's environment (CI/CD
    variables): the certificate gets the domain, every runbook link the page, its section kept."""
    tool("kubectl")
    pinned = {d["kind"]: d for d in yaml.safe_load_all(pinned_text(environment)) if d["kind"] != "ConfigMap"}
    assert pinned["ManagedCertificate"]["spec"]["domains"] == [DEPLOY_VALUES["CHAOS_DOMAIN"]]
    page = DEPLOY_VALUES["CHAOS_RUNBOOK_URL"]
    expected = {
        rule["alert"]: f"{page}#{rule['annotations']['runbook_url'].partition('#')[2]}"
        for group in rendered(environment)["Rules"]["spec"]["groups"]
        for rule in group["rules"]
    }
    links = {
        rule["alert"]: rule["annotations"]["runbook_url"]
        for group in pinned["Rules"]["spec"]["groups"]
        for rule in group["rules"]
    }
    assert links == expected


@pytest.mark.parametrize(
    "variables, refusal",
    [
        ({"CHAOS_DOMAIN": ""}, "set CHAOS_DOMAIN"),
        ({"CHAOS_DOMAIN": "chaos.test\nkind: Secret"}, "set CHAOS_DOMAIN"),
        ({"CHAOS_RUNBOOK_URL": "http://git.test/README.md"}, "set CHAOS_RUNBOOK_URL"),
    ],
)
def test_deploy_script_refuses_a_missing_or_malformed_value(variables, refusal):
    refused = subprocess.run(
        [SCRIPT, "staging", SAMPLE_IMAGE, "--dry-run"],
        env=deploy_environment(**variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and refusal in refused.stderr


def _run_failing(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=deploy_environment())
    assert result.returncode != 0
    return result.stderr


def _gunicorn_settings(container: dict) -> dict:
    """The gunicorn settings evaluated with the environment the container gets (image ENV + pod env),
    leaving this process's environment as it was."""
    with mock.patch.dict(os.environ, {**Dockerfile().env, **container_env(container)}, clear=True):
        return runpy.run_module("chaos.entrypoints.gunicorn_config")


def _secret_file(container: dict, path: str) -> tuple[list[dict], str]:
    """The items of the `chaos-secrets` volume mounted read-only where `path` lies, and `path`
    relative to that mount."""
    (mount,) = [m for m in container["volumeMounts"] if PurePosixPath(path).is_relative_to(m["mountPath"])]
    assert mount["readOnly"] is True
    (volume,) = [v for v in pod_spec("master")["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == "chaos-secrets"
    return volume["secret"]["items"], str(PurePosixPath(path).relative_to(mount["mountPath"]))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_pod_of_the_environment_is_scraped_on_a_port_of_the_pod(environment):
    monitoring = rendered(environment)["PodMonitoring"]
    assert monitoring["apiVersion"] == "monitoring.googleapis.com/v1"
    assert monitoring["metadata"]["namespace"] == f"chaos-{environment}"
    template = rendered(environment)["Deployment"]["spec"]["template"]
    assert monitoring["spec"]["selector"]["matchLabels"].items() <= template["metadata"]["labels"].items()
    containers = template["spec"]["containers"]
    ports = {port["name"] for container in containers for port in container.get("ports", [])}
    (endpoint,) = monitoring["spec"]["endpoints"]
    assert endpoint["port"] in ports and endpoint["path"] == "/metrics"
    assert {"pod", "container"} <= set(monitoring["spec"]["targetLabels"]["metadata"])


def _templates(environment: str) -> dict[str, dict]:
    """The pod template of every workload (Deployments and CronJobs) by workload name."""
    objects = by_kind(environment)
    templates = {name: d["spec"]["template"] for name, d in objects["Deployment"].items()}
    return templates | {
        name: job["spec"]["jobTemplate"]["spec"]["template"] for name, job in cron_jobs(environment).items()
    }


def _pod_specs(environment: str) -> dict[str, dict]:
    return {name: template["spec"] for name, template in _templates(environment).items()}


def _pod_labels(environment: str) -> dict[str, dict]:
    return {name: template["metadata"]["labels"] for name, template in _templates(environment).items()}


JOBS = {
    "chaos-calibrate": (["chaos", "calibrate"], "calibrate.yml", "chaos"),
    "chaos-monitor": (["chaos", "monitor"], "calibrate.yml", "chaos"),
    "chaos-retrain": (
        ["sh", "-c", "chaos retrain --backtest || test $? -eq 3"],
        "retrain.yml",
        "chaos-train",
    ),
    "chaos-served-purge": (["chaos", "served", "purge"], "calibrate.yml", "chaos"),
}
"""Each scheduled job: its command, its configuration file in the Secret, its image."""


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_calibrate_monitor_and_retrain_run_in_every_environment_beside_the_same_proxy(environment):
    objects, jobs = rendered(environment), cron_jobs(environment)
    assert set(jobs) == set(JOBS)
    for name, job in jobs.items():
        command, configuration, image = JOBS[name]
        assert job["spec"]["concurrencyPolicy"] == "Forbid" and job["spec"]["timeZone"] == "Etc/UTC"
        template = job["spec"]["jobTemplate"]["spec"]["template"]
        spec = template["spec"]
        assert spec["restartPolicy"] == "Never"
        (container,) = spec["containers"]
        assert container["command"] == command and container["image"] == image
        (proxy,) = spec["initContainers"]
        assert proxy == proxy_container(environment)  # a native sidecar: stopped when the job exits
        assert proxy["restartPolicy"] == "Always"
        path = container_env(container)["CHAOS_CONFIGURATION_PATH"]
        assert path == f"/secrets/{configuration}"
        (volume,) = [v for v in spec["volumes"] if v["name"] == "chaos-config"]
        assert volume["secret"]["secretName"] == "chaos-secrets"
        assert configuration in [item["key"] for item in volume["secret"]["items"]]
        labels = template["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == name
        for selector in (
            objects["Service"]["spec"]["selector"],
            objects["PodMonitoring"]["spec"]["selector"]["matchLabels"],
        ):
            assert not selector.items() <= labels.items()  # its pods are not the API's
    assert jobs["chaos-calibrate"]["spec"]["schedule"].split()[1:] == ["*"] * 4  # hourly
    for daily in ("chaos-monitor", "chaos-retrain", "chaos-served-purge"):
        assert jobs[daily]["spec"]["schedule"].split()[2:] == ["*"] * 3


def test_only_the_retraining_job_holds_the_signing_key_and_runs_the_training_image():
    for name, spec in _pod_specs("master").items():
        mounted = [
            item["key"] for v in spec["volumes"] if "secret" in v for item in v["secret"].get("items", [])
        ]
        assert ("signing.pem" in mounted) == (name == "chaos-retrain"), name
        images = {c["image"] for c in spec["containers"] if c["name"] == "chaos"}
        assert images == ({"chaos-train"} if name == "chaos-retrain" else {"chaos"}), name


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_deploy_pins_every_workload_by_digest_the_retraining_one_on_the_training_image(environment):
    tool("kubectl")
    pinned = list(yaml.safe_load_all(pinned_text(environment)))
    images = {}
    for document in pinned:
        if document["kind"] == "Deployment":
            spec = document["spec"]["template"]["spec"]
        elif document["kind"] == "CronJob":
            spec = document["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        else:
            continue
        (container,) = [c for c in spec["containers"] if c["name"] == "chaos"]
        images[document["metadata"]["name"]] = container["image"]
    train = DEPLOY_VALUES["TRAIN_IMAGE"]
    assert images == {
        "chaos": SAMPLE_IMAGE,
        "chaos-canary": SAMPLE_IMAGE,
        "chaos-calibrate": SAMPLE_IMAGE,
        "chaos-monitor": SAMPLE_IMAGE,
        "chaos-retrain": train,
        "chaos-served-purge": SAMPLE_IMAGE,
    }


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_canary_is_the_api_pod_that_nothing_routes_to(environment):
    """deploy.sh scales the canary up, port-forwards to its gunicorn and applies its objects alone."""
    objects = by_kind(environment)
    canary, api = objects["Deployment"]["chaos-canary"], objects["Deployment"]["chaos"]
    assert canary["spec"]["replicas"] == 0  # a pod during a deploy only
    assert canary["metadata"]["labels"]["app.kubernetes.io/component"] == "canary"
    assert "canary" not in json_text(api["metadata"]["labels"])
    spread = "topologySpreadConstraints"
    api_spec = {key: value for key, value in api["spec"]["template"]["spec"].items() if key != spread}
    assert canary["spec"]["template"]["spec"] == api_spec
    labels = canary["spec"]["template"]["metadata"]["labels"]
    assert canary["spec"]["selector"]["matchLabels"].items() <= labels.items()
    routed = [rendered(environment)["Service"]["spec"]["selector"]]
    routed.append(rendered(environment)["PodMonitoring"]["spec"]["selector"]["matchLabels"])
    routed += [
        budget["spec"]["selector"]["matchLabels"]
        for budget in objects.get("PodDisruptionBudget", {}).values()
    ]
    assert all(not selector.items() <= labels.items() for selector in routed)
    bind = container_env(app_container(environment))["CHAOS_BIND"]
    assert f"app_port={bind.rpartition(':')[2]}\n" in (DEPLOYMENT / "deploy.sh").read_text()


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_canary_first_apply_brings_what_its_pod_reads_and_nothing_else(environment):
    """deploy.sh applies what carries these components before anything else: the canary and the
    ConfigMaps (a changed one has a new name the canary's pod needs), never a workload that serves."""
    tool("kubectl")
    first = [
        d
        for d in yaml.safe_load_all(pinned_text(environment))
        if d["metadata"].get("labels", {}).get("app.kubernetes.io/component") in {"canary", "configuration"}
    ]
    names = {(d["kind"], d["metadata"]["name"]) for d in first}
    (canary,) = [d for d in first if d["kind"] == "Deployment"]
    assert canary["metadata"]["name"] == "chaos-canary"
    spec = canary["spec"]["template"]["spec"]
    read = {v["configMap"]["name"] for v in spec["volumes"] if "configMap" in v}
    read |= {
        source["configMapRef"]["name"]
        for container in [*spec["containers"], *spec["initContainers"]]
        for source in container.get("envFrom", [])
    }
    assert read and {("ConfigMap", name) for name in read} <= names
    assert {kind for kind, _ in names} == {"Deployment", "ConfigMap"}


def json_text(value: object) -> str:
    return yaml.safe_dump(value)


SEVERITIES = {"page", "ticket"}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_alerts_are_routed_by_managed_prometheus_alertmanager_one_receiver_per_severity(environment):
    objects = by_kind(environment)
    operator = objects["OperatorConfig"]["config"]
    assert operator["apiVersion"] == "monitoring.googleapis.com/v1"
    assert operator["metadata"]["namespace"] == "gmp-public"
    reference = operator["managedAlertmanager"]["configSecret"]
    secret = objects["Secret"][reference["name"]]
    assert secret["metadata"]["namespace"] == "gmp-public"
    routing = yaml.safe_load(base64.b64decode(secret["data"][reference["key"]]))
    alerts = yaml.safe_load((DEPLOYMENT / "monitoring" / "alerts.yml").read_text())
    used = {rule["labels"]["severity"] for group in alerts["groups"] for rule in group["rules"]}
    assert used == SEVERITIES == {receiver["name"] for receiver in routing["receivers"]}
    routes = {route["receiver"]: route["matchers"] for route in routing["route"]["routes"]}
    assert routes["page"] == ['severity = "page"', 'namespace = "chaos-master"']  # only production pages
    endpoints = [config["url"] for receiver in routing["receivers"] for config in receiver["webhook_configs"]]
    assert endpoints == ["ALERT_PAGE_URL", "ALERT_TICKET_URL"]  # placeholders: deploy.sh fills them


def test_every_overlay_writes_the_same_cluster_routing():
    def routing(environment: str) -> tuple:
        objects = by_kind(environment)
        return objects["Secret"]["alertmanager"]["data"], objects["OperatorConfig"]["config"][
            "managedAlertmanager"
        ]

    assert routing("develop") == routing("staging") == routing("master")


def test_deploy_writes_the_receivers_endpoints_and_alertmanager_accepts_the_routing(tmp_path):
    tool("kubectl")
    (secret,) = [
        d
        for d in yaml.safe_load_all(pinned_text("master"))
        if d["kind"] == "Secret" and d["metadata"]["name"] == "alertmanager"
    ]
    text = base64.b64decode(secret["data"]["alertmanager.yaml"]).decode()
    routing = yaml.safe_load(text)
    endpoints = {r["name"]: r["webhook_configs"][0]["url"] for r in routing["receivers"]}
    assert endpoints == {"page": DEPLOY_VALUES["ALERT_PAGE_URL"], "ticket": DEPLOY_VALUES["ALERT_TICKET_URL"]}
    (tmp_path / "alertmanager.yaml").write_text(text)
    run(tool("amtool"), "check-config", str(tmp_path / "alertmanager.yaml"))
    routed = run(
        tool("amtool"),
        "config",
        "routes",
        "test",
        "--config.file",
        str(tmp_path / "alertmanager.yaml"),
        "severity=page",
        "namespace=chaos-staging",
    )
    assert routed.stdout.strip() == "ticket"  # a page of staging wakes nobody
