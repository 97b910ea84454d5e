{{/* The chart name, or nameOverride: the app.kubernetes.io/name label. */}}
{{- define "etcd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release "x" gives "x-etcd"; a release whose name already holds the chart name keeps it. */}}
{{- define "etcd.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "etcd.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "etcd.headlessName" -}}
{{- printf "%s-headless" (include "etcd.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "etcd.labels" -}}
app.kubernetes.io/name: {{ include "etcd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "etcd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "etcd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: etcd
{{- end -}}

{{- define "etcd.imageRegistry" -}}
{{- default .Values.image.registry .Values.global.imageRegistry -}}
{{- end -}}

{{- define "etcd.image" -}}
{{- $registry := include "etcd.imageRegistry" . -}}
{{- $separator := ternary "@" ":" (not (empty .Values.image.digest)) -}}
{{- $reference := default (toString .Values.image.tag) .Values.image.digest -}}
{{- if $registry -}}
{{- printf "%s/%s%s%s" $registry .Values.image.repository $separator $reference -}}
{{- else -}}
{{- printf "%s%s%s" .Values.image.repository $separator $reference -}}
{{- end -}}
{{- end -}}

{{- define "etcd.imagePullSecrets" -}}
{{- $names := concat (default list .Values.global.imagePullSecrets) (default list .Values.image.pullSecrets) | uniq -}}
{{- if $names }}
imagePullSecrets:
{{- range $names }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* "true" when the root user and its password are configured (auth.rbac.create or the older auth.rbac.enabled). */}}
{{- define "etcd.rbacEnabled" -}}
{{- if or .Values.auth.rbac.create .Values.auth.rbac.enabled }}true{{ end -}}
{{- end -}}

{{- define "etcd.secretName" -}}
{{- if .Values.auth.rbac.existingSecret -}}
{{- tpl .Values.auth.rbac.existingSecret . -}}
{{- else -}}
{{- include "etcd.fullname" . -}}
{{- end -}}
{{- end -}}

{{- define "etcd.secretPasswordKey" -}}
{{- if and .Values.auth.rbac.existingSecret .Values.auth.rbac.existingSecretPasswordKey -}}
{{- .Values.auth.rbac.existingSecretPasswordKey -}}
{{- else -}}
etcd-root-password
{{- end -}}
{{- end -}}

{{- define "etcd.tokenSecretName" -}}
{{- if .Values.auth.token.privateKey.existingSecret -}}
{{- tpl .Values.auth.token.privateKey.existingSecret . -}}
{{- else -}}
{{- printf "%s-jwt-token" (include "etcd.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* ES* sign methods get a P-256 key, RS* and PS* a 4096-bit RSA key (seconds to generate). */}}
{{- define "etcd.jwtKeyType" -}}
{{- ternary "ecdsa" "rsa" (hasPrefix "ES" .Values.auth.token.signMethod) -}}
{{- end -}}

{{- define "etcd.jwtEnabled" -}}
{{- if and .Values.auth.token.enabled (eq .Values.auth.token.type "jwt") }}true{{ end -}}
{{- end -}}

{{/* The claim mounted at /snapshots: the DR claim, else the startFromSnapshot claim, else <fullname>-snapshotter. */}}
{{- define "etcd.snapshotsClaim" -}}
{{- if .Values.disasterRecovery.pvc.existingClaim -}}
{{- tpl .Values.disasterRecovery.pvc.existingClaim . -}}
{{- else if .Values.startFromSnapshot.enabled -}}
{{- tpl .Values.startFromSnapshot.existingClaim . -}}
{{- else -}}
{{- printf "%s-snapshotter" (include "etcd.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* "true" when the startFromSnapshot claim has its own mount, /init-snapshot (it is /snapshots when disaster recovery reuses it). */}}
{{- define "etcd.initSnapshotMounted" -}}
{{- if and .Values.startFromSnapshot.enabled (or (not .Values.disasterRecovery.enabled) .Values.disasterRecovery.pvc.existingClaim) }}true{{ end -}}
{{- end -}}

{{- define "etcd.initSnapshotsDir" -}}
{{- ternary "/init-snapshot" "/snapshots" (eq (include "etcd.initSnapshotMounted" .) "true") -}}
{{- end -}}

{{- define "etcd.storageClass" -}}
{{- $class := coalesce .Values.global.defaultStorageClass .Values.global.storageClass .Values.persistence.storageClass -}}
{{- if eq $class "-" }}
storageClassName: ""
{{- else if $class }}
storageClassName: {{ $class | quote }}
{{- end }}
{{- end -}}

{{/* The requests and limits of a Bitnami resourcesPreset. */}}
{{- define "etcd.resourcesPreset" -}}
{{- $presets := dict
  "nano" (dict "requests" (dict "cpu" "100m" "memory" "128Mi") "limits" (dict "cpu" "150m" "memory" "192Mi"))
  "micro" (dict "requests" (dict "cpu" "250m" "memory" "256Mi") "limits" (dict "cpu" "375m" "memory" "384Mi"))
  "small" (dict "requests" (dict "cpu" "500m" "memory" "512Mi") "limits" (dict "cpu" "750m" "memory" "768Mi"))
  "medium" (dict "requests" (dict "cpu" "500m" "memory" "1024Mi") "limits" (dict "cpu" "750m" "memory" "1536Mi"))
  "large" (dict "requests" (dict "cpu" "1.0" "memory" "2048Mi") "limits" (dict "cpu" "1.5" "memory" "3072Mi"))
  "xlarge" (dict "requests" (dict "cpu" "1.0" "memory" "3072Mi") "limits" (dict "cpu" "3.0" "memory" "6144Mi"))
  "2xlarge" (dict "requests" (dict "cpu" "1.0" "memory" "3072Mi") "limits" (dict "cpu" "6.0" "memory" "12288Mi"))
-}}
{{- $preset := get $presets .type -}}
{{- $_ := set $preset.requests "ephemeral-storage" "50Mi" -}}
{{- $_ := set $preset.limits "ephemeral-storage" "2Gi" -}}
{{- toYaml $preset -}}
{{- end -}}

{{- define "etcd.resources" -}}
{{- if .resources }}
resources: {{- toYaml .resources | nindent 2 }}
{{- else if ne .preset "none" }}
resources: {{- include "etcd.resourcesPreset" (dict "type" .preset) | nindent 2 }}
{{- end }}
{{- end -}}
