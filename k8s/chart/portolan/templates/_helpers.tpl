{{- define "portolan.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portolan.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "portolan.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "portolan.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: portolan
{{- end -}}

{{- define "portolan.selector" -}}
app.kubernetes.io/name: {{ include "portolan.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "portolan.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{ printf "%s/%s:%s" .root.Values.image.registry .image.repository $tag }}
{{- else -}}
{{ printf "%s:%s" .image.repository $tag }}
{{- end -}}
{{- end -}}

{{- define "portolan.secretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-tokens" (include "portolan.fullname" .)) -}}
{{- end -}}

{{- define "portolan.cassandraContactPoints" -}}
{{- if .Values.cassandra.external.contactPoints -}}
{{- .Values.cassandra.external.contactPoints -}}
{{- else if .Values.cassandra.deploy -}}
{{- printf "%s-cassandra-0.%s-cassandra.%s.svc:9042" (include "portolan.fullname" .) (include "portolan.fullname" .) .Release.Namespace -}}
{{- else -}}
{{- fail "set cassandra.external.contactPoints or cassandra.deploy=true: cluster nodes in Kubernetes need a shared Cassandra" -}}
{{- end -}}
{{- end -}}

{{- define "portolan.requiredContactPointNr" -}}
{{- if .Values.server.bootstrap.requiredContactPointNr -}}
{{- .Values.server.bootstrap.requiredContactPointNr -}}
{{- else -}}
{{- min 2 (int .Values.server.replicas) -}}
{{- end -}}
{{- end -}}

{{- define "portolan.agentClusterAddress" -}}
{{- .Values.agent.clusterAddress | default (printf "%s://%s.%s.svc:%v" (ternary "wss" "ws" (not (empty .Values.tls.existingSecret))) (include "portolan.fullname" .) .Release.Namespace .Values.server.service.port) -}}
{{- end -}}
