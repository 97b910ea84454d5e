#!/bin/bash
# The practice cluster's stand-in for the bitnami/etcd image: the environment its scripts read,
# with the image's defaults. Written for Drillbook from the image's documented contract.

etcd_read_file_variables() {
    local name file
    for name in ETCD_ROOT_PASSWORD ETCD_INIT_SNAPSHOT_FILENAME ETCD_INITIAL_CLUSTER ETCD_INITIAL_CLUSTER_TOKEN; do
        file="${name}_FILE"
        if [[ -n "${!file:-}" && -r "${!file}" ]]; then
            export "${name}=$(<"${!file}")"
            unset "$file"
        fi
    done
}
etcd_read_file_variables

export ETCD_VOLUME_DIR="/bitnami/etcd"
export ETCD_DATA_DIR="${ETCD_DATA_DIR:-${ETCD_VOLUME_DIR}/data}"
export ETCD_CONF_FILE="/opt/bitnami/etcd/conf/etcd.yaml"
export ETCD_SNAPSHOTS_DIR="${ETCD_SNAPSHOTS_DIR:-/snapshots}"
export ETCD_INIT_SNAPSHOTS_DIR="${ETCD_INIT_SNAPSHOTS_DIR:-/init-snapshot}"
export ETCD_INIT_SNAPSHOT_FILENAME="${ETCD_INIT_SNAPSHOT_FILENAME:-}"
export ETCD_START_FROM_SNAPSHOT="${ETCD_START_FROM_SNAPSHOT:-no}"
export ETCD_DISASTER_RECOVERY="${ETCD_DISASTER_RECOVERY:-no}"
export ETCD_ROOT_PASSWORD="${ETCD_ROOT_PASSWORD:-}"
export ALLOW_NONE_AUTHENTICATION="${ALLOW_NONE_AUTHENTICATION:-no}"
export ETCDCTL_API="${ETCDCTL_API:-3}"
export ETCD_SETUP_CLIENT_PORT="${ETCD_SETUP_CLIENT_PORT:-12379}"
export ETCD_LISTEN_CLIENT_URLS="${ETCD_LISTEN_CLIENT_URLS:-http://0.0.0.0:2379}"
export ETCD_ADVERTISE_CLIENT_URLS="${ETCD_ADVERTISE_CLIENT_URLS:-http://127.0.0.1:2379}"
export ETCD_INITIAL_CLUSTER="${ETCD_INITIAL_CLUSTER:-}"
export ETCD_INITIAL_CLUSTER_TOKEN="${ETCD_INITIAL_CLUSTER_TOKEN:-}"
export ETCD_INITIAL_ADVERTISE_PEER_URLS="${ETCD_INITIAL_ADVERTISE_PEER_URLS:-}"
export PATH="/opt/bitnami/etcd/bin:${PATH}"

is_yes() { [[ "${1,,}" =~ ^(yes|true|1)$ ]]; }
log() { printf 'etcd %s INFO  ==> %s\n' "$(date '+%H:%M:%S.%2N')" "$*" >&2; }
fail() { printf 'etcd %s ERROR ==> %s\n' "$(date '+%H:%M:%S.%2N')" "$*" >&2; exit 1; }

# etcdctl flags: the root user when a password is set, against this member's advertised endpoint.
etcdctl_flags() {
    local endpoint="${ETCD_ADVERTISE_CLIENT_URLS%%,*}"
    printf '%s\n' "--endpoints=${endpoint}"
    [[ -n "$ETCD_ROOT_PASSWORD" ]] && printf '%s\n' "--user=root:${ETCD_ROOT_PASSWORD}"
    return 0
}

initial_member_count() {
    local members="${ETCD_INITIAL_CLUSTER//[^,]/}"
    if [[ -z "$ETCD_INITIAL_CLUSTER" ]]; then echo 1; else echo $(( ${#members} + 1 )); fi
}
