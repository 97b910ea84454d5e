#!/bin/bash
# The bitnami/etcd contract, before etcd starts:
#   - ETCD_ROOT_PASSWORD required unless ALLOW_NONE_AUTHENTICATION=yes; when set, authentication
#     is enabled with the user root (on the first initial member only, in a cluster);
#   - an empty ETCD_DATA_DIR with ETCD_START_FROM_SNAPSHOT=yes is restored with `etcdctl snapshot
#     restore $ETCD_INIT_SNAPSHOTS_DIR/$ETCD_INIT_SNAPSHOT_FILENAME` (with this member's name and
#     the initial cluster when there are several members);
#   - existing data with ETCD_DISASTER_RECOVERY=yes, in a cluster without quorum, is replaced by
#     the latest $ETCD_SNAPSHOTS_DIR/db-* snapshot.
set -o errexit -o nounset -o pipefail
. /opt/bitnami/scripts/etcd-env.sh

if ! is_yes "$ALLOW_NONE_AUTHENTICATION" && [[ -z "$ETCD_ROOT_PASSWORD" ]]; then
    fail "The ETCD_ROOT_PASSWORD environment variable is empty or not set. Set the environment variable ALLOW_NONE_AUTHENTICATION=yes to allow a blank password. This is only recommended for development environments."
fi
snapshot="${ETCD_INIT_SNAPSHOTS_DIR}/${ETCD_INIT_SNAPSHOT_FILENAME}"
if is_yes "$ETCD_START_FROM_SNAPSHOT" && [[ ! -f "$snapshot" ]]; then
    fail "You are trying to initialize etcd from a snapshot, but no snapshot was found. Set the environment variable ETCD_INIT_SNAPSHOT_FILENAME with the snapshot filename and mount it at '${ETCD_INIT_SNAPSHOTS_DIR}' directory."
fi

restore_snapshot() {
    local -a args=("--data-dir" "$ETCD_DATA_DIR")
    if [[ "$(initial_member_count)" -gt 1 ]]; then
        args+=("--name" "$ETCD_NAME" "--initial-cluster" "$ETCD_INITIAL_CLUSTER"
            "--initial-cluster-token" "$ETCD_INITIAL_CLUSTER_TOKEN"
            "--initial-advertise-peer-urls" "$ETCD_INITIAL_ADVERTISE_PEER_URLS")
    fi
    log "Restoring snapshot $1"
    rm -rf "$ETCD_DATA_DIR"
    etcdctl snapshot restore "$1" "${args[@]}"
}

cluster_has_quorum() {
    local healthy=0 member url
    IFS=',' read -r -a members <<<"$ETCD_INITIAL_CLUSTER"
    for member in "${members[@]}"; do
        url="${member#*=}"
        [[ "$url" == "$ETCD_INITIAL_ADVERTISE_PEER_URLS" ]] && continue
        url="${url%:*}:${ETCD_CLIENT_PORT:-2379}"
        etcdctl --endpoints="$url" --dial-timeout=2s endpoint health >/dev/null 2>&1 && healthy=$((healthy + 1))
    done
    [[ "$healthy" -ge $(( (${#members[@]} + 1) / 2 )) ]]
}

mkdir -p "$ETCD_DATA_DIR"
if [[ -z "$(ls -A "$ETCD_DATA_DIR")" ]]; then
    log "There is no data from previous deployments"
    is_yes "$ETCD_START_FROM_SNAPSHOT" && restore_snapshot "$snapshot"
else
    log "Detected data from previous deployments"
    chmod -R 700 "$ETCD_DATA_DIR" || true
    if [[ "$(initial_member_count)" -gt 1 ]] && is_yes "$ETCD_DISASTER_RECOVERY" && ! cluster_has_quorum; then
        latest="$(find "$ETCD_SNAPSHOTS_DIR" -maxdepth 1 -type f -name 'db-*' 2>/dev/null | sort | tail -n 1)"
        [[ -n "$latest" ]] || fail "There was no snapshot to restore!"
        restore_snapshot "$latest"
    fi
fi
chmod 700 "$ETCD_DATA_DIR"

# The setup member serves reads. With authentication already on (restored data), the health read
# is refused for its empty user name, which etcd only says once a leader has answered the read.
setup_member_answers() {
    local answer
    answer="$(etcdctl "${flags[@]}" --dial-timeout=1s endpoint health 2>&1)" && return 0
    [[ "$answer" == *"user name is empty"* ]]
}

enable_authentication() {
    local -a flags
    # The setup member answers on a port of its own: a readiness probe on the client port must not
    # see it, or the pod turns Ready just before this member stops for the real one.
    if [[ -n "${MY_POD_IP:-}" ]]; then
        local scheme="${ETCD_ADVERTISE_CLIENT_URLS%%://*}"
        local -x ETCD_LISTEN_CLIENT_URLS="${scheme}://${MY_POD_IP}:${ETCD_SETUP_CLIENT_PORT}"
        local -x ETCD_ADVERTISE_CLIENT_URLS="$ETCD_LISTEN_CLIENT_URLS"
    fi
    mapfile -t flags < <(ETCD_ROOT_PASSWORD='' etcdctl_flags)
    log "Starting etcd in background to enable authentication"
    ( unset ETCD_ROOT_PASSWORD; exec etcd ) >/dev/null 2>&1 &
    local pid=$! tries=0
    until setup_member_answers; do
        tries=$((tries + 1)); [[ "$tries" -lt 60 ]] || { kill "$pid"; fail "etcd did not start"; }
        sleep 0.5
    done
    # etcdctl 3.4 has no `auth status`: with auth on, a request without a user is refused.
    # Captured, not piped to grep -q: under pipefail, etcdctl killed by SIGPIPE would read as "off".
    local users
    users="$(etcdctl "${flags[@]}" user list 2>&1 || true)"
    if [[ "$users" == *"user name is empty"* ]]; then
        log "Authentication already enabled"
    else
        log "Enabling etcd authentication"
        etcdctl "${flags[@]}" user add root --interactive=false <<<"$ETCD_ROOT_PASSWORD"
        etcdctl "${flags[@]}" user grant-role root root
        etcdctl "${flags[@]}" auth enable
    fi
    kill "$pid"; wait "$pid" || true
}

first_member="${ETCD_INITIAL_CLUSTER%%,*}"
if [[ -n "$ETCD_ROOT_PASSWORD" ]] && { [[ "$(initial_member_count)" -eq 1 ]] || [[ "$first_member" == *"$ETCD_INITIAL_ADVERTISE_PEER_URLS" ]]; }; then
    enable_authentication
fi
