#!/bin/sh
# Deploy one environment with the image pinned by digest, wait for the rollout, then smoke-test the
# environment's public URL and roll back when a check fails (CI and by hand).
#
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST             apply, wait, smoke test (or roll back)
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST --no-smoke  apply and wait only: the very first
#                                                                 deploy, before DNS and certificate exist
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST --dry-run   print the manifests instead
#
# Environment (in CI, CI/CD variables scoped to each environment):
#   CHAOS_DOMAIN       the environment's public domain: its certificate, and the URL smoke-tested
#   CHAOS_RUNBOOK_URL  the address of deployment/README.md that the alerts' runbook links point into
#   CHAOS_SMOKE_KEY    an API key of the environment with the scoring scope (apply only)
#   ROLLOUT_TIMEOUT    bounds each wait for a rollout (default 300s)
#
# A digest names the bytes the build job pushed: unlike a tag, nobody can move it to another image.
# The Deployment runs in namespace chaos-ENV. A rollout that does not finish in time fails the
# command after printing why. A failed smoke check (deployment/smoke.py) runs `kubectl rollout undo`,
# waits for the previous version to be back, and fails the command naming the failed checks.
set -eu

usage() {
  echo "usage: $0 develop|staging|master REPOSITORY@sha256:DIGEST [--no-smoke|--dry-run]" >&2
  exit 2
}
[ $# -ge 2 ] || usage
environment=$1
image=$2
mode=${3:-apply}
deployment=$(cd "$(dirname "$0")" && pwd)
# matches VALUE REGEX: the whole value, on one line, matches the extended regular expression.
matches() {
  case $1 in *"
"*) return 1 ;; esac
  printf '%s\n' "$1" | grep -Eq "$2"
}

[ -f "$deployment/overlays/$environment/kustomization.yaml" ] || { echo "deploy: unknown environment '$environment'" >&2; usage; }
if ! matches "$image" '^[^@]+@sha256:[0-9a-f]{64}$'; then
  echo "deploy: '$image' is not pinned by digest: give REPOSITORY@sha256:DIGEST (the build job's IMAGE_DIGEST)" >&2
  exit 2
fi
case $mode in apply | --no-smoke | --dry-run) ;; *) usage ;; esac
if ! matches "${CHAOS_DOMAIN:-}" '^[A-Za-z0-9.-]+(:[0-9]+)?$'; then
  echo "deploy: set CHAOS_DOMAIN to the public domain of $environment (got '${CHAOS_DOMAIN:-}')" >&2
  exit 2
fi
if ! matches "${CHAOS_RUNBOOK_URL:-}" '^https://[^[:space:]#"]+$'; then
  echo "deploy: set CHAOS_RUNBOOK_URL to the https address of deployment/README.md (got '${CHAOS_RUNBOOK_URL:-}')" >&2
  exit 2
fi
if [ "$mode" = apply ] && [ -z "${CHAOS_SMOKE_KEY:-}" ]; then
  echo "deploy: set CHAOS_SMOKE_KEY to an API key of $environment: the smoke test after the rollout needs it" >&2
  exit 2
fi

# kustomize only accepts relative bases: the pinning kustomization lives beside the overlays. Its
# values (local-config: never applied) become the certificate's domain and the runbook links' page.
work=$(mktemp -d "$deployment/.pinned-XXXXXX")
trap 'rm -rf "$work"' EXIT
cat >"$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../overlays/$environment
images:
  - name: chaos
    newName: ${image%@*}
    digest: ${image#*@}
configMapGenerator:
  - name: deploy-values
    literals:
      - domain=$CHAOS_DOMAIN
      - runbook=$CHAOS_RUNBOOK_URL
    options:
      disableNameSuffixHash: true
      annotations:
        config.kubernetes.io/local-config: "true"
replacements:
  - source: {kind: ConfigMap, name: deploy-values, fieldPath: data.domain}
    targets:
      - select: {kind: ManagedCertificate, name: chaos}
        fieldPaths: [spec.domains.0]
        options: {create: true}
  - source: {kind: ConfigMap, name: deploy-values, fieldPath: data.runbook}
    targets:
      - select: {kind: Rules, name: chaos}
        fieldPaths: [spec.groups.*.rules.*.annotations.runbook_url]
        options: {delimiter: "#", index: 0}
YAML

if [ "$mode" = --dry-run ]; then
  kubectl kustomize "$work"
  exit 0
fi

namespace=chaos-$environment
wait_for_rollout() {
  kubectl rollout status deployment/chaos --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-300s}"
}

kubectl apply -k "$work"
if ! wait_for_rollout; then
  echo "deploy: rollout of $image to $environment did not complete; pods and recent events:" >&2
  kubectl get pods --namespace "$namespace" -l app.kubernetes.io/name=chaos -o wide >&2 || true
  kubectl get events --namespace "$namespace" --sort-by=.lastTimestamp >&2 || true
  exit 1
fi
[ "$mode" = --no-smoke ] && exit 0

url=https://$CHAOS_DOMAIN
if python3 "$deployment/smoke.py" "$url" >"$work/smoke.log" 2>&1; then
  cat "$work/smoke.log"
  exit 0
fi
cat "$work/smoke.log"
failed=$(tail -n 1 "$work/smoke.log")
echo "deploy: smoke test of $environment failed ($failed): rolling back to the previous version" >&2
kubectl rollout undo deployment/chaos --namespace "$namespace"
if wait_for_rollout; then
  echo "deploy: $environment is back on its previous version; $image was rejected by the smoke test" >&2
else
  echo "deploy: the rollback of $environment did not complete either: look at it now" >&2
fi
exit 1
