#!/bin/sh
# Deploy one environment with the image pinned by digest, then wait for the rollout (CI and by hand).
#
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST            apply deployment/overlays/ENV and wait
#   deployment/deploy.sh ENV REPOSITORY@sha256:DIGEST --dry-run  print the manifests instead
#
# A digest names the bytes the build job pushed: unlike a tag, nobody can move it to another image.
# The Deployment runs in namespace chaos-ENV; ROLLOUT_TIMEOUT (default 300s) bounds the wait and
# a rollout that does not finish in time fails the command (and the CI job) after printing why.
set -eu

usage() { echo "usage: $0 develop|staging|master REPOSITORY@sha256:DIGEST [--dry-run]" >&2; exit 2; }
[ $# -ge 2 ] || usage
environment=$1
image=$2
mode=${3:-apply}
deployment=$(cd "$(dirname "$0")" && pwd)

[ -f "$deployment/overlays/$environment/kustomization.yaml" ] || { echo "deploy: unknown environment '$environment'" >&2; usage; }
if ! printf '%s\n' "$image" | grep -Eq '^[^@]+@sha256:[0-9a-f]{64}$'; then
  echo "deploy: '$image' is not pinned by digest: give REPOSITORY@sha256:DIGEST (the build job's IMAGE_DIGEST)" >&2
  exit 2
fi
case $mode in apply | --dry-run) ;; *) usage ;; esac

# kustomize only accepts relative bases: the pinning kustomization lives beside the overlays.
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
YAML

if [ "$mode" = --dry-run ]; then
  kubectl kustomize "$work"
  exit 0
fi

namespace=chaos-$environment
kubectl apply -k "$work"
if ! kubectl rollout status deployment/chaos --namespace "$namespace" --timeout "${ROLLOUT_TIMEOUT:-300s}"; then
  echo "deploy: rollout of $image to $environment did not complete; pods and recent events:" >&2
  kubectl get pods --namespace "$namespace" -l app.kubernetes.io/name=chaos -o wide >&2 || true
  kubectl get events --namespace "$namespace" --sort-by=.lastTimestamp >&2 || true
  exit 1
fi
