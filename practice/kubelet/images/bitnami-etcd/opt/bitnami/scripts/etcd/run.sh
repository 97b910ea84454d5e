#!/bin/bash
# Starts etcd; the root password never reaches etcd's environment (it would log it).
set -o errexit -o nounset -o pipefail
. /opt/bitnami/scripts/etcd-env.sh
unset ETCD_ROOT_PASSWORD ETCD_ROOT_PASSWORD_FILE
log "** Starting etcd **"
exec etcd "$@"
