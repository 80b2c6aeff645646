package io.portolan.cluster.view;

import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostSnapshot;
import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.TopologyStore.Model;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture reports of three hosts: alpha (web + db + a Kubernetes pause container + a stopped job),
 * beta (an unhealthy api that web calls across hosts) and gamma (stale, host only). Applied to read
 * model snapshots the same way a node applies an entity's full-report delta.
 */
final class Fixtures {

  static final long T = 1_800_000_000_000L;

  private Fixtures() {}

  static Model model() {
    return Model.of(List.of(alpha(), beta(), gamma()));
  }

  static HostSnapshot alpha() {
    List<Entry> e = new ArrayList<>();
    e.add(host("alpha", "10.0.0.1/24"));
    e.add(container("web0000000000000000000001", "/web", "nginx:1.27", "running", null,
        Map.of("app", "shop", "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.name", "web-7d9"),
        Map.of("bridge", "172.17.0.2")));
    e.add(container("db00000000000000000000002", "/db", "docker.io/library/postgres:16", "running", "healthy",
        Map.of("app", "shop", "io.kubernetes.pod.namespace", "shop"), Map.of("bridge", "172.17.0.3")));
    e.add(container("pause0000000000000000003", "/k8s_POD_web", "registry.k8s.io/pause:3.9", "running", null,
        Map.of("io.kubernetes.pod.namespace", "kube-system"), Map.of()));
    e.add(container("job00000000000000000000004", "/nightly-job", "busybox:1.36", "exited", null, Map.of(), Map.of()));
    e.add(process("alpha", 1, 0, "systemd", "/sbin/init", 0, null));
    e.add(process("alpha", 101, 1, "nginx", "nginx: master process", 0, "web0000000000000000000001"));
    e.add(process("alpha", 102, 101, "nginx", "nginx: worker process", 33, "web0000000000000000000001"));
    e.add(process("alpha", 201, 1, "postgres", "postgres -D /var/lib/postgresql/data", 999, "db00000000000000000000002"));
    // web -> db on the same host, seen from both sides
    e.add(conn("alpha", "172.17.0.2", 40000, "172.17.0.3", 5432, true, 102, "web0000000000000000000001", 2));
    e.add(conn("alpha", "172.17.0.3", 5432, "172.17.0.2", 40000, false, 201, "db00000000000000000000002", 2));
    // web -> beta's api across hosts
    e.add(conn("alpha", "172.17.0.2", 40001, "10.0.1.5", 8080, true, 102, "web0000000000000000000001", 1));
    // to the outside world: not resolvable, no edge
    e.add(conn("alpha", "172.17.0.2", 40002, "93.184.216.34", 443, true, 102, "web0000000000000000000001", 1));
    e.addAll(kubernetes());
    Map<String, Map<String, Double>> metrics = new HashMap<>();
    metrics.put(Keys.host("alpha"), Map.of("cpu_percent", 20.0, "memory_bytes", 4e9));
    metrics.put("container:web0000000000000000000001", Map.of("cpu_percent", 80.0, "memory_bytes", 1.5e8));
    metrics.put("container:db00000000000000000000002", Map.of("cpu_percent", 5.0, "memory_bytes", 6e8));
    metrics.put(Keys.process("alpha", 102), Map.of("cpu_percent", 95.0, "rss_bytes", 2e7));
    return snapshot("alpha", e, metrics, HostStatus.LIVE);
  }

  static HostSnapshot beta() {
    List<Entry> e = new ArrayList<>();
    e.add(host("beta", "10.0.0.2/24"));
    e.add(container("api0000000000000000000005", "/api", "portolan/api:2.0", "running", "unhealthy",
        Map.of("app", "api", "io.portolan.hostname", "api.internal"), Map.of("net", "10.0.1.5")));
    e.add(process("beta", 301, 1, "api-server", "/usr/bin/api-server --port 8080", 1000, "api0000000000000000000005"));
    e.add(process("beta", 302, 301, "api-worker", "", 1000, "api0000000000000000000005"));
    e.add(conn("beta", "10.0.1.5", 8080, "172.17.0.2", 40001, false, 301, "api0000000000000000000005", 1));
    Map<String, Map<String, Double>> metrics = Map.of("container:api0000000000000000000005",
        Map.of("cpu_percent", 40.0, "memory_bytes", 3e8));
    return snapshot("beta", e, metrics, HostStatus.LIVE);
  }

  /** What alpha's agent (the watcher's lease holder) reports of the Kubernetes cluster "prod". */
  static List<Entry> kubernetes() {
    String c = "prod";
    List<Entry> e = new ArrayList<>();
    e.add(new Entry(Keys.namespace(c, "shop"), T, new Payload.Namespace(c, "shop", "u-ns1", "Active", Map.of("team", "shop"), T)));
    e.add(new Entry(Keys.namespace(c, "kube-system"), T, new Payload.Namespace(c, "kube-system", "u-ns2", "Active", Map.of(), T)));
    String webRs = Keys.workload(c, "shop", "ReplicaSet", "web-7d9");
    String apiRs = Keys.workload(c, "shop", "ReplicaSet", "api-5f");
    String webDeploy = Keys.workload(c, "shop", "Deployment", "web");
    String apiDeploy = Keys.workload(c, "shop", "Deployment", "api");
    String dbSet = Keys.workload(c, "shop", "StatefulSet", "db");
    e.add(pod(c, "web-7d9-x1", "alpha", "172.17.0.2", "Running", "web0000000000000000000001", "nginx:1.27", true, webRs));
    e.add(pod(c, "db-0", "alpha", "172.17.0.3", "Running", "db00000000000000000000002", "postgres:16", true, dbSet));
    e.add(pod(c, "api-5f-y2", "beta", "10.0.1.5", "Running", "api0000000000000000000005", "portolan/api:2.0", false, apiRs));
    e.add(pod(c, "batch-z3", "alpha", "", "Pending", "", "busybox:1.36", false, ""));
    e.add(service(c, "web", "10.96.0.10", 80, List.of(Keys.pod(c, "shop", "web-7d9-x1")), 1));
    e.add(service(c, "db", "10.96.0.11", 5432, List.of(Keys.pod(c, "shop", "db-0")), 1));
    e.add(service(c, "api", "10.96.0.12", 8080, List.of(Keys.pod(c, "shop", "api-5f-y2")), 0));
    e.add(workload(c, "web", "Deployment", 1, 1, List.of()));
    e.add(workload(c, "web-7d9", "ReplicaSet", 1, 1, List.of(webDeploy)));
    e.add(workload(c, "api", "Deployment", 2, 1, List.of()));
    e.add(workload(c, "api-5f", "ReplicaSet", 2, 1, List.of(apiDeploy)));
    e.add(workload(c, "db", "StatefulSet", 1, 1, List.of()));
    return e;
  }

  static Entry pod(String cluster, String name, String node, String ip, String phase, String containerId, String image,
      boolean ready, String controller) {
    List<Payload.PodContainer> containers = containerId.isEmpty()
        ? List.of(new Payload.PodContainer("main", image, "", "", "", false, 0, "waiting", "ContainerCreating", false))
        : List.of(new Payload.PodContainer("main", image, "containerd", containerId, Keys.container(containerId), ready,
            ready ? 0 : 3, "running", null, false));
    return new Entry(Keys.pod(cluster, "shop", name), T, new Payload.Pod(cluster, "shop", name, "u-" + name, node,
        Keys.host(node), ip, "10.0.0.1", phase, null, Map.of("Ready", ready ? "True" : "False"), containers,
        ready ? 0 : 3, Map.of("app", name.replaceAll("-.*", "")), Map.of(), controller.isEmpty() ? List.of() : List.of(controller),
        controller, "default", "BestEffort", T - 60_000, T - 30_000));
  }

  static Entry service(String cluster, String name, String ip, int port, List<String> pods, int ready) {
    return new Entry(Keys.service(cluster, "shop", name), T, new Payload.Service(cluster, "shop", name, "u-s-" + name,
        "ClusterIP", ip, List.of(), List.of(new Payload.ServicePort("http", "TCP", port, Integer.toString(port), 0)),
        Map.of("app", name), Map.of("app", name), pods, ready, T));
  }

  static Entry workload(String cluster, String name, String kind, int desired, int ready, List<String> owners) {
    return new Entry(Keys.workload(cluster, "shop", kind, name), T, new Payload.Workload(cluster, "shop", name,
        "u-w-" + name, kind, desired, ready, ready, ready, Map.of("app", name), Map.of("app", name), Map.of(), owners,
        null, false, 1, 1, T));
  }

  static HostSnapshot gamma() {
    return snapshot("gamma", List.of(host("gamma", "10.0.0.3/24")), Map.of(), HostStatus.STALE);
  }

  static HostSnapshot snapshot(String hostId, List<Entry> entries, Map<String, Map<String, Double>> metrics,
      HostStatus status) {
    HostDelta full = new HostDelta(hostId, 1, 1, true, T, status, "agent-" + hostId, "pekko://portolan@127.0.0.1:25520",
        T, entries, metrics, T);
    return HostSnapshot.empty(hostId).apply(full, T);
  }

  static Entry host(String id, String ip) {
    return new Entry(Keys.host(id), T, new Payload.Host(id + ".example", List.of(new Payload.NetInterface("eth0",
        List.of(ip))), "Debian GNU/Linux 12", "6.1.0", "amd64", 4, 8L << 30, List.of(), 0.5, 0.4, 0.3, 3600));
  }

  static Entry container(String id, String name, String image, String state, String health,
      Map<String, String> labels, Map<String, String> networks) {
    return new Entry(Keys.container(id), T, new Payload.Container(id, name, image, "sha256:" + id, state, T - 60_000,
        T - 30_000, labels, Map.of(), List.of(new Payload.Port("0.0.0.0", 80, 0, "tcp")), List.of(), networks,
        "bridge", 0, health, 1L << 30, 1.0));
  }

  static Entry process(String host, int pid, int ppid, String name, String cmd, int uid, String container) {
    return new Entry(Keys.process(host, pid), T, new Payload.Process(pid, ppid, name, cmd, uid, uid == 0 ? "root" : "u" + uid,
        "/", "S", 2, container));
  }

  static Entry conn(String host, String local, int localPort, String remote, int remotePort, boolean outbound, int pid,
      String container, int count) {
    return new Entry(Keys.connection(host, "tcp", local, localPort, remote, remotePort), T,
        new Payload.Connection("tcp", local, localPort, remote, remotePort, outbound, pid, container, count, "proc"));
  }
}
