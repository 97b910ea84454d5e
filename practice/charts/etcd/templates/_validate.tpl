{{/* Every value combination the chart refuses, joined into one failure that says how to fix each. */}}
{{- define "etcd.validateValues" -}}
{{- $problems := list -}}
{{- $v := .Values -}}
{{- if and $v.startFromSnapshot.enabled (not $v.startFromSnapshot.existingClaim) -}}
{{- $problems = append $problems "startFromSnapshot.enabled needs the claim that holds the snapshot: --set startFromSnapshot.existingClaim=<pvc>" -}}
{{- end -}}
{{- if and $v.startFromSnapshot.enabled (not $v.startFromSnapshot.snapshotFilename) -}}
{{- $problems = append $problems "startFromSnapshot.enabled needs the snapshot's file name on that claim: --set startFromSnapshot.snapshotFilename=<file>" -}}
{{- end -}}
{{- if and $v.disasterRecovery.enabled (not $v.persistence.enabled) -}}
{{- $problems = append $problems "disasterRecovery.enabled needs persistence.enabled=true" -}}
{{- end -}}
{{- $standardImage := and (eq (include "etcd.imageRegistry" .) "docker.io") (eq $v.image.repository "bitnami/etcd") -}}
{{- if and (not $standardImage) (not $v.global.security.allowInsecureImages) -}}
{{- $problems = append $problems (printf "the image %s is not docker.io/bitnami/etcd; to use it anyway, --set global.security.allowInsecureImages=true" (include "etcd.image" .)) -}}
{{- end -}}
{{- if and $v.auth.rbac.existingSecret (not (include "etcd.rbacEnabled" .)) -}}
{{- $problems = append $problems "auth.rbac.existingSecret is only read when auth.rbac.create=true" -}}
{{- end -}}
{{- if not (has $v.service.type (list "ClusterIP" "NodePort")) -}}
{{- $problems = append $problems (printf "service.type %s is not available on the practice cluster; use ClusterIP or NodePort" $v.service.type) -}}
{{- end -}}
{{- range $key, $unsupported := dict
    "auth.client.secureTransport" $v.auth.client.secureTransport
    "auth.peer.secureTransport" $v.auth.peer.secureTransport
    "networkPolicy.enabled" $v.networkPolicy.enabled
    "pdb.create" $v.pdb.create
    "metrics.enabled" $v.metrics.enabled
    "defrag.enabled" $v.defrag.enabled
    "preUpgradeJob.enabled" $v.preUpgradeJob.enabled -}}
{{- if $unsupported -}}
{{- $problems = append $problems (printf "%s=true is not implemented by the practice etcd chart; leave it false" $key) -}}
{{- end -}}
{{- end -}}
{{- if $problems -}}
{{- fail (printf "\nVALUES VALIDATION (drillbook practice etcd chart):\n  - %s" (join "\n  - " $problems)) -}}
{{- end -}}
{{- end -}}
