package io.portolan.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart through helm itself (helm-java runs helm's Go code as a native library): lint, then template
 * with default and custom values; every rendered document must parse as a typed fabric8 object.
 */
class HelmChartTest {

  static final Path CHART = Path.of("chart", "portolan");

  static List<HasMetadata> render(Map<String, Object> values) {
    var template = new Helm(CHART).template().withName("portolan").withNamespace("observability");
    values.forEach(template::set);
    return parse(template.call());
  }

  /** Each YAML document as a typed object: unknown kinds or fields that do not fit fail here. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      String body = doc.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")).strip();
      if (body.isEmpty()) {
        continue;
      }
      Object parsed = Serialization.unmarshal(doc);
      if (parsed instanceof KubernetesList list) {
        objects.addAll(list.getItems());
      } else {
        assertThat(parsed).as("document parses as a Kubernetes object:\n%s", doc).isInstanceOf(HasMetadata.class);
        assertThat(parsed.getClass().getPackageName()).as("typed, not generic: %s", doc)
            .startsWith("io.fabric8.kubernetes.api.model");
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  static Map<String, Long> kinds(List<HasMetadata> objects) {
    return objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
  }

  @Test
  void lintPasses() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultValuesRenderEveryComponent() {
    // Defaults, except a given token: without one the Secret is a pre-install hook, which helm-java's
    // template leaves out of the manifest (helm's --no-hooks); aGeneratedTokenSecretIsAnInstallHookOutsideTheManifest.
    List<HasMetadata> objects = render(Map.of("auth.agentToken", "s3cret"));
    assertThat(kinds(objects)).containsOnlyKeys("ServiceAccount", "Secret", "ConfigMap", "Role", "RoleBinding",
        "ClusterRole", "ClusterRoleBinding", "Service", "StatefulSet", "DaemonSet", "PodDisruptionBudget");
    assertThat(kinds(objects)).containsEntry("StatefulSet", 2L).containsEntry("ClusterRole", 2L);

    StatefulSet server = one(objects, StatefulSet.class, "portolan");
    assertThat(server.getSpec().getReplicas()).isEqualTo(3);
    Container node = server.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(node.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(node.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/alive");
    assertThat(server.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

    ConfigMap config = one(objects, ConfigMap.class, "portolan-server");
    assertThat(config.getData()).containsEntry("PORTOLAN_DISCOVERY", "kubernetes-api")
        .containsEntry("PORTOLAN_BOOTSTRAP_REQUIRED_CONTACT_POINT_NR", "2")
        .containsEntry("PORTOLAN_CASSANDRA_CONTACT_POINTS",
            "portolan-cassandra-0.portolan-cassandra.observability.svc:9042");

    DaemonSet agent = one(objects, DaemonSet.class, "portolan-agent");
    var pod = agent.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/proc"));
    assertThat(pod.getVolumes()).anySatisfy(v ->
        assertThat(v.getHostPath().getPath()).isEqualTo("/run/containerd/containerd.sock"));
    Container a = pod.getContainers().get(0);
    assertThat(a.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(a.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_PTRACE", "DAC_READ_SEARCH");
    assertThat(a.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_AGENT_TOKEN");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("portolan-tokens");
    });
    assertThat(a.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_CLUSTER");
      assertThat(e.getValue()).isEqualTo("ws://portolan.observability.svc:4040");
    });

    ClusterRole watcher = one(objects, ClusterRole.class, "portolan-watcher");
    assertThat(watcher.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get", "list", "watch"));
    assertThat(watcher.getRules().stream().flatMap(r -> r.getResources().stream()))
        .contains("pods", "services", "namespaces", "nodes", "events", "endpointslices", "deployments",
            "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs");
    assertThat(one(objects, Secret.class, "portolan-tokens").getData()).containsKey("agent-token");
  }

  @Test
  void customValuesExternalCassandraIngressAndFiveNodes() {
    List<HasMetadata> objects = render(Map.ofEntries(
        Map.entry("server.replicas", 5),
        Map.entry("server.bootstrap.requiredContactPointNr", 3),
        Map.entry("cassandra.external.contactPoints", "cassandra-1.db:9042,cassandra-2.db:9042"),
        Map.entry("cassandra.autocreate", false),
        Map.entry("ingress.enabled", true),
        Map.entry("ingress.className", "nginx"),
        Map.entry("ingress.host", "portolan.acme.test"),
        Map.entry("auth.existingSecret", "portolan-prod-tokens"),
        Map.entry("agent.kubernetes.controls", false),
        Map.entry("agent.runtime.type", "docker"),
        Map.entry("agent.runtime.socket", "/var/run/docker.sock")));
    assertThat(kinds(objects)).containsKey("Ingress").doesNotContainKey("Secret").containsEntry("StatefulSet", 1L)
        .containsEntry("ClusterRole", 1L);
    assertThat(one(objects, StatefulSet.class, "portolan").getSpec().getReplicas()).isEqualTo(5);
    ConfigMap config = one(objects, ConfigMap.class, "portolan-server");
    assertThat(config.getData())
        .containsEntry("PORTOLAN_CASSANDRA_CONTACT_POINTS", "cassandra-1.db:9042,cassandra-2.db:9042")
        .containsEntry("PORTOLAN_CASSANDRA_AUTOCREATE", "false")
        .containsEntry("PORTOLAN_BOOTSTRAP_REQUIRED_CONTACT_POINT_NR", "3");
    Ingress ingress = one(objects, Ingress.class, "portolan");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("portolan.acme.test");
    Container a = one(objects, DaemonSet.class, "portolan-agent").getSpec().getTemplate().getSpec().getContainers()
        .get(0);
    assertThat(a.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("DOCKER_HOST");
      assertThat(e.getValue()).isEqualTo("unix:///host/var/run/docker.sock");
    });
    assertThat(a.getEnv()).filteredOn(e -> e.getName().equals("PORTOLAN_AGENT_TOKEN")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("portolan-prod-tokens"));
  }

  @Test
  void tlsSecretsServeHttpsFromTheNodesAndGiveAgentsWssWithATrustStore() {
    List<HasMetadata> plain = render(Map.of("auth.agentToken", "s3cret"));
    Container plainNode = one(plain, StatefulSet.class, "portolan").getSpec().getTemplate().getSpec().getContainers()
        .get(0);
    assertThat(plainNode.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
    assertThat(plainNode.getEnv()).noneSatisfy(e -> assertThat(e.getName()).startsWith("PORTOLAN_TLS"));
    assertThat(one(plain, DaemonSet.class, "portolan-agent").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv()).noneSatisfy(e -> assertThat(e.getName()).startsWith("PORTOLAN_AGENT_TRUSTSTORE"));

    List<HasMetadata> objects = render(Map.of("auth.agentToken", "s3cret", "tls.existingSecret", "portolan-tls",
        "agent.tls.truststoreSecret", "portolan-agent-trust"));
    var serverPod = one(objects, StatefulSet.class, "portolan").getSpec().getTemplate().getSpec();
    Container node = serverPod.getContainers().get(0);
    assertThat(node.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(node.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(node.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(node.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_TLS_KEYSTORE");
      assertThat(e.getValue()).isEqualTo("/etc/portolan/tls/keystore.p12");
    });
    assertThat(node.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_TLS_KEYSTORE_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("portolan-tls");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("keystore-password");
    });
    assertThat(node.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/portolan/tls");
      assertThat(serverPod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName())).singleElement()
          .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("portolan-tls"));
    });

    var agentPod = one(objects, DaemonSet.class, "portolan-agent").getSpec().getTemplate().getSpec();
    Container agent = agentPod.getContainers().get(0);
    assertThat(agent.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_CLUSTER");
      assertThat(e.getValue()).isEqualTo("wss://portolan.observability.svc:4040");
    });
    assertThat(agent.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_AGENT_TRUSTSTORE");
      assertThat(e.getValue()).isEqualTo("/etc/portolan/tls/truststore.p12");
    });
    assertThat(agent.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PORTOLAN_AGENT_TRUSTSTORE_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    });
    assertThat(agent.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/portolan/tls");
      assertThat(agentPod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName())).singleElement()
          .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("portolan-agent-trust"));
    });
  }

  @Test
  void aGeneratedTokenSecretIsAnInstallHookOutsideTheManifest() {
    List<HasMetadata> objects = render(Map.of());
    assertThat(kinds(objects)).doesNotContainKey("Secret").containsKey("DaemonSet");
  }

  @Test
  void noCassandraAtAllIsRefusedWithAReason() {
    assertThatThrownBy(() -> render(Map.of("cassandra.deploy", false)))
        .hasMessageContaining("set cassandra.external.contactPoints or cassandra.deploy=true");
  }

  /**
   * Renders k8s/manifests/portolan.yaml (defaults, namespace "portolan", token from an existing Secret)
   * and checks the committed file matches; {@code -Dportolan.manifests.write=true} rewrites it
   * (k8s/render-manifests.sh).
   */
  @Test
  void plainManifestsAreRenderedFromTheChart() throws Exception {
    String yaml = new Helm(CHART).template().withName("portolan").withNamespace("portolan")
        .set("auth.existingSecret", "portolan-tokens").call();
    String header = "# Rendered from k8s/chart/portolan with default values by k8s/render-manifests.sh: do not edit.\n"
        + "# Namespace: portolan. Create the token Secret first:\n"
        + "#   kubectl -n portolan create secret generic portolan-tokens --from-literal=agent-token=$(openssl rand -hex 20)\n";
    String rendered = header + yaml;
    parse(yaml);
    Path file = Path.of("manifests", "portolan.yaml");
    if (Boolean.getBoolean("portolan.manifests.write")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendered);
    }
    assertThat(file).as("run k8s/render-manifests.sh after changing the chart").exists();
    assertThat(Files.readString(file)).isEqualTo(rendered);
  }
}
