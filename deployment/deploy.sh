#!/bin/sh
# Deploy one environment with its images pinned by digest: smoke-test the new version on a canary pod
# before any customer's request reaches it, roll every workload out together, smoke-test the
# environment's public URL, and undo every workload together when anything fails (CI and by hand).
#
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST             canary, apply, wait, smoke test
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST --no-smoke  apply and wait only: the very first
#                                                                 deploy, before DNS and certificate exist
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST --dry-run   print the manifests instead
#
# Environment (in CI, CI/CD variables scoped to each environment):
#   TRAIN_IMAGE        the training image of the same commit, REPOSITORY@sha256:DIGEST (the Dockerfile's
#                      `train` target): what the retraining CronJob runs
#   CHAOS_DOMAIN       the environment's public domain: its certificate, and the URL smoke-tested
#   CHAOS_RUNBOOK_URL  the address of deployment/README.md that the alerts' runbook links point into
#   ALERT_PAGE_URL     the Alertmanager webhook of the paging tool (production's `page` alerts)
#   ALERT_TICKET_URL   the Alertmanager webhook of the ticketing tool (every other alert)
#   CHAOS_SMOKE_KEY    an API key of the environment with the scoring scope (apply only)
#   ROLLOUT_TIMEOUT    bounds each wait for a rollout (default 300s)
#
# A digest names the bytes the build job pushed: unlike a tag, nobody can move it to another image.
# Everything runs in namespace chaos-ENV, with these steps (deployment/README.md, "Deploy"):
# 1. the canary: the Deployment chaos-canary (the API's pod, in no Service) gets the new image, with
#    the ConfigMaps it reads, and one pod; deployment/smoke.py checks that pod through `kubectl port-forward` to gunicorn. A canary
#    that does not become ready or fails a check is scaled back to zero and nothing else changed;
# 2. every workload of the environment moves at once (`kubectl apply -k`): the Deployment chaos and
#    the CronJobs (calibrate, monitor and served-purge on the image, retrain on TRAIN_IMAGE), after what each
#    CronJob ran before has been kept (its last applied manifest);
# 3. the rollout must complete within ROLLOUT_TIMEOUT, then smoke.py checks the public URL.
# When step 2 or 3 fails, every workload goes back: `kubectl rollout undo` of the Deployment, each
# CronJob's kept manifest applied again (a CronJob new with this deploy is deleted); the command
# fails naming what failed.
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
digest='^[^@]+@sha256:[0-9a-f]{64}$'
if ! matches "$image" "$digest"; then
  echo "deploy: '$image' is not pinned by digest: give REPOSITORY@sha256:DIGEST (the build job's IMAGE_DIGEST)" >&2
  exit 2
fi
case $mode in apply | --no-smoke | --dry-run) ;; *) usage ;; esac
if ! matches "${TRAIN_IMAGE:-}" "$digest"; then
  echo "deploy: set TRAIN_IMAGE to the training image of the same commit, REPOSITORY@sha256:DIGEST (got '${TRAIN_IMAGE:-}')" >&2
  exit 2
fi
if ! matches "${CHAOS_DOMAIN:-}" '^[A-Za-z0-9.-]+(:[0-9]+)?$'; then
  echo "deploy: set CHAOS_DOMAIN to the public domain of $environment (got '${CHAOS_DOMAIN:-}')" >&2
  exit 2
fi
if ! matches "${CHAOS_RUNBOOK_URL:-}" '^https://[^[:space:]#"]+$'; then
  echo "deploy: set CHAOS_RUNBOOK_URL to the https address of deployment/README.md (got '${CHAOS_RUNBOOK_URL:-}')" >&2
  exit 2
fi
for receiver in ALERT_PAGE_URL ALERT_TICKET_URL; do
  eval "url=\${$receiver:-}"
  if ! matches "$url" '^https://[^[:space:]"\\]+$'; then
    echo "deploy: set $receiver to the https address of an Alertmanager webhook (deployment/README.md, \"Alert routing\")" >&2
    exit 2
  fi
done
if [ "$mode" = apply ] && [ -z "${CHAOS_SMOKE_KEY:-}" ]; then
  echo "deploy: set CHAOS_SMOKE_KEY to an API key of $environment: the smoke tests need it" >&2
  exit 2
fi

# kustomize only accepts relative bases: the pinning kustomization lives beside the overlays. Its
# values (local-config: never applied) become the certificate's domain and the runbook links' page;
# the alert routing gets the receivers' endpoints in place of its placeholders.
work=$(mktemp -d "$deployment/.pinned-XXXXXX")
forward=
trap '[ -z "$forward" ] || kill "$forward" 2>/dev/null; rm -rf "$work"' EXIT
# replacement VALUE: VALUE as the replacement of a sed s||| command.
replacement() { printf '%s\n' "$1" | sed 's/[&|\\]/\\&/g'; }
sed -e "s|ALERT_PAGE_URL|$(replacement "$ALERT_PAGE_URL")|" -e "s|ALERT_TICKET_URL|$(replacement "$ALERT_TICKET_URL")|" \
  "$deployment/components/alert-routing/alertmanager.yaml" >"$work/alertmanager.yaml"
cat >"$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../overlays/$environment
images:
  - name: chaos
    newName: ${image%@*}
    digest: ${image#*@}
  - name: chaos-train
    newName: ${TRAIN_IMAGE%@*}
    digest: ${TRAIN_IMAGE#*@}
# The ConfigMaps go with the canary's first apply: a changed one has a new name (kustomize's hash
# suffix), which the canary's pod needs before the rest is applied.
transformers:
  - |-
    apiVersion: builtin
    kind: LabelTransformer
    metadata:
      name: configuration
    labels:
      app.kubernetes.io/component: configuration
    fieldSpecs:
      - {kind: ConfigMap, path: metadata/labels, create: true}
secretGenerator:
  - name: alertmanager
    namespace: gmp-public
    behavior: replace
    files:
      - alertmanager.yaml
    options:
      disableNameSuffixHash: true
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
# Every object of chaos carries this label; the pods of each workload have a name label of their own.
objects=app.kubernetes.io/name=chaos
# gunicorn's port in the pod (CHAOS_BIND in base/deployment.yaml), where the canary is smoke-tested.
app_port=5000

wait_for_rollout() {
  kubectl rollout status "deployment/$1" --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-300s}"
}

# show_pods NAME: the pods of a workload and the namespace's recent events, on stderr.
show_pods() {
  kubectl get pods --namespace "$namespace" -l "app.kubernetes.io/name=$1" -o wide >&2 || true
  kubectl get events --namespace "$namespace" --sort-by=.lastTimestamp >&2 || true
}

# smoke URL: runs smoke.py against URL, prints its report; true when every check passed.
smoke() {
  if python3 "$deployment/smoke.py" "$1" >"$work/smoke.log" 2>&1; then
    cat "$work/smoke.log"
    return 0
  fi
  cat "$work/smoke.log"
  return 1
}

# canary: one pod of the new version, in no Service, smoke-tested through a port-forward; scaled back
# to zero whatever the outcome. True when it passed.
canary() {
  kubectl apply -k "$work" --selector 'app.kubernetes.io/component in (canary,configuration)'
  kubectl scale deployment/chaos-canary --namespace "$namespace" --replicas 1
  passed=false
  if ! wait_for_rollout chaos-canary; then
    echo "deploy: the canary of $image did not become ready in $environment; its pods and recent events:" >&2
    show_pods chaos-canary
  else
    kubectl port-forward deployment/chaos-canary --namespace "$namespace" ":$app_port" >"$work/forward.log" 2>&1 &
    forward=$!
    port=
    tries=0
    while [ -z "$port" ] && [ $tries -lt 30 ] && kill -0 "$forward" 2>/dev/null; do
      sleep 1
      tries=$((tries + 1))
      port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$work/forward.log" | head -n 1)
    done
    if [ -z "$port" ]; then
      echo "deploy: no port-forward to the canary of $environment:" >&2
      cat "$work/forward.log" >&2
    elif smoke "http://127.0.0.1:$port"; then
      passed=true
    else
      echo "deploy: the canary of $image failed the smoke test ($(tail -n 1 "$work/smoke.log"))" >&2
    fi
    kill "$forward" 2>/dev/null || true
    forward=
  fi
  kubectl scale deployment/chaos-canary --namespace "$namespace" --replicas 0
  [ "$passed" = true ]
}

# keep_scheduled_jobs: what each CronJob of chaos ran until now (its last applied manifest), to undo.
keep_scheduled_jobs() {
  mkdir "$work/previous"
  for job in $(kubectl get cronjobs --namespace "$namespace" -l "$objects" -o name); do
    kubectl get "$job" --namespace "$namespace" \
      -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}' \
      >"$work/previous/${job#*/}.json"
  done
}

# undo WHY: every workload back to what ran before this deploy; fails the command.
undo() {
  echo "deploy: $1: undoing every workload of $environment (the Deployment and the CronJobs)" >&2
  undone=true
  kubectl rollout undo deployment/chaos --namespace "$namespace" || undone=false
  for job in $(kubectl get cronjobs --namespace "$namespace" -l "$objects" -o name); do
    if [ -s "$work/previous/${job#*/}.json" ]; then
      kubectl apply -f "$work/previous/${job#*/}.json" || undone=false
    else
      kubectl delete "$job" --namespace "$namespace" || undone=false
    fi
  done
  if [ "$undone" = true ] && wait_for_rollout chaos; then
    echo "deploy: $environment is back on its previous version; $image was rejected" >&2
  else
    echo "deploy: the undo of $environment did not complete: look at it now" >&2
  fi
  exit 1
}

if [ "$mode" = apply ] && ! canary; then
  echo "deploy: $image rejected by its canary: nothing else of $environment was changed" >&2
  exit 1
fi
keep_scheduled_jobs
kubectl apply -k "$work" || undo "the apply of $image to $environment failed"
if ! wait_for_rollout chaos; then
  echo "deploy: rollout of $image to $environment did not complete; pods and recent events:" >&2
  show_pods chaos
  undo "the rollout did not complete"
fi
[ "$mode" = --no-smoke ] && exit 0
smoke "https://$CHAOS_DOMAIN" || undo "smoke test of $environment failed ($(tail -n 1 "$work/smoke.log"))"
