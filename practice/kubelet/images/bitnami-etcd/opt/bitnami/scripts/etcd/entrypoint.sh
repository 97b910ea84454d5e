#!/bin/bash
# The practice bitnami/etcd image's entrypoint: setup when the command is run.sh, then the command.
set -o errexit -o nounset -o pipefail
. /opt/bitnami/scripts/etcd-env.sh
if [[ "${1:-}" == "/opt/bitnami/scripts/etcd/run.sh" ]]; then
    log "** Starting etcd setup **"
    /opt/bitnami/scripts/etcd/setup.sh
    log "** etcd setup finished! **"
fi
exec "$@"
