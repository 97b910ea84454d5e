#!/bin/bash
# The chart's liveness and readiness probe: this member's endpoint answers healthy.
set -o errexit -o nounset -o pipefail
. /opt/bitnami/scripts/etcd-env.sh
mapfile -t flags < <(etcdctl_flags)
etcdctl "${flags[@]}" --dial-timeout=2s endpoint health
