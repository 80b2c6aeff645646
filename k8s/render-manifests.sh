#!/usr/bin/env bash
# Renders k8s/manifests/portolan.yaml from the Helm chart (default values, namespace "portolan", token
# from an existing Secret) through helm-java, the same helm the chart tests use; no helm binary needed.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl k8s test -Dtest=HelmChartTest#plainManifestsAreRenderedFromTheChart -Dportolan.manifests.write=true
echo "wrote k8s/manifests/portolan.yaml"
