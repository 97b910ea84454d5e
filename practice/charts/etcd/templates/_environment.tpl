{{/* The etcd container's environment: the variables the bitnami/etcd image's scripts read. */}}
{{- define "etcd.environment" -}}
{{- $fullname := include "etcd.fullname" . -}}
{{- $namespace := include "etcd.namespace" . -}}
{{- $headless := include "etcd.headlessName" . -}}
{{- $domain := printf "%s.%s.svc.%s" $headless $namespace .Values.clusterDomain -}}
{{- $clientPort := int .Values.containerPorts.client -}}
{{- $peerPort := int .Values.containerPorts.peer -}}
{{- $replicas := int .Values.replicaCount -}}
- name: BITNAMI_DEBUG
  value: {{ ternary "true" "false" .Values.image.debug | quote }}
- name: MY_POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: MY_POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: MY_STS_NAME
  value: {{ $fullname | quote }}
- name: ETCDCTL_API
  value: "3"
- name: ETCD_ON_K8S
  value: "yes"
- name: ETCD_START_FROM_SNAPSHOT
  value: {{ ternary "yes" "no" .Values.startFromSnapshot.enabled | quote }}
- name: ETCD_DISASTER_RECOVERY
  value: {{ ternary "yes" "no" .Values.disasterRecovery.enabled | quote }}
- name: ETCD_NAME
  value: "$(MY_POD_NAME)"
- name: ETCD_DATA_DIR
  value: "/bitnami/etcd/data"
- name: ETCD_LOG_LEVEL
  value: {{ ternary "debug" "info" .Values.image.debug | quote }}
- name: ALLOW_NONE_AUTHENTICATION
  value: {{ ternary "yes" "no" (and (not (include "etcd.rbacEnabled" .)) .Values.auth.rbac.allowNoneAuthentication) | quote }}
{{- if include "etcd.rbacEnabled" . }}
{{- if .Values.auth.rbac.usePasswordFiles }}
- name: ETCD_ROOT_PASSWORD_FILE
  value: {{ printf "/opt/bitnami/etcd/secrets/%s" (include "etcd.secretPasswordKey" .) | quote }}
{{- else }}
- name: ETCD_ROOT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "etcd.secretName" . }}
      key: {{ include "etcd.secretPasswordKey" . }}
{{- end }}
{{- end }}
{{- if include "etcd.jwtEnabled" . }}
- name: ETCD_AUTH_TOKEN
  value: {{ printf "jwt,priv-key=/opt/bitnami/etcd/certs/token/%s,sign-method=%s,ttl=%s" .Values.auth.token.privateKey.filename .Values.auth.token.signMethod .Values.auth.token.ttl | quote }}
{{- else if .Values.auth.token.enabled }}
- name: ETCD_AUTH_TOKEN
  value: {{ .Values.auth.token.type | quote }}
{{- end }}
- name: ETCD_ADVERTISE_CLIENT_URLS
  value: {{ printf "http://$(MY_POD_NAME).%s:%d,http://%s.%s.svc.%s:%d" $domain $clientPort $fullname $namespace .Values.clusterDomain (int .Values.service.ports.client) | quote }}
- name: ETCD_LISTEN_CLIENT_URLS
  value: {{ printf "http://0.0.0.0:%d" $clientPort | quote }}
- name: ETCD_INITIAL_ADVERTISE_PEER_URLS
  value: {{ printf "http://$(MY_POD_NAME).%s:%d" $domain $peerPort | quote }}
- name: ETCD_LISTEN_PEER_URLS
  value: {{ printf "http://0.0.0.0:%d" $peerPort | quote }}
- name: ETCD_CLUSTER_DOMAIN
  value: {{ $domain | quote }}
{{- with .Values.autoCompactionMode }}
- name: ETCD_AUTO_COMPACTION_MODE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.autoCompactionRetention }}
- name: ETCD_AUTO_COMPACTION_RETENTION
  value: {{ . | quote }}
{{- end }}
{{- if gt $replicas 1 }}
{{- $members := list }}
{{- range $ordinal := until $replicas }}
{{- $members = append $members (printf "%s-%d=http://%s-%d.%s:%d" $fullname $ordinal $fullname $ordinal $domain $peerPort) }}
{{- end }}
- name: ETCD_INITIAL_CLUSTER_TOKEN
  value: "etcd-cluster-k8s"
- name: ETCD_INITIAL_CLUSTER_STATE
  value: {{ default (ternary "new" "existing" .Release.IsInstall) .Values.initialClusterState | quote }}
- name: ETCD_INITIAL_CLUSTER
  value: {{ join "," $members | quote }}
{{- end }}
{{- if .Values.startFromSnapshot.enabled }}
- name: ETCD_INIT_SNAPSHOTS_DIR
  value: {{ include "etcd.initSnapshotsDir" . | quote }}
- name: ETCD_INIT_SNAPSHOT_FILENAME
  value: {{ .Values.startFromSnapshot.snapshotFilename | quote }}
{{- end }}
{{- with .Values.extraEnvVars }}
{{ toYaml . }}
{{- end }}
{{- end -}}
