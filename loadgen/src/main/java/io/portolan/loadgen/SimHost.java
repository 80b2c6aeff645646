package io.portolan.loadgen;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Keys;
import io.portolan.protocol.MetricBatch;
import io.portolan.protocol.Payload;
import io.portolan.protocol.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The content of one simulated host: a host, containers with processes, and connections to
 * containers on other hosts, all deterministic functions of the host index, so that host A's
 * outbound connection to B also appears as an inbound endpoint on B. Metrics are random walks; a
 * worker process restarts now and then (a tombstone and a new pid). Not thread-safe: one agent owns it.
 */
public final class SimHost {

  private final int index;
  private final int hostCount;
  private final Profile profile;
  private final String hostId;
  private final SplittableRandom random;
  /** The current entries by key, with the time each last changed. */
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<Entry> changed = new ArrayList<>();
  private final int[] restarts;
  private long seq;

  public SimHost(int index, int hostCount, Profile profile) {
    this.index = index;
    this.hostCount = hostCount;
    this.profile = profile;
    this.hostId = hostId(index);
    this.random = new SplittableRandom(index * 7919L + 17);
    this.restarts = new int[profile.containers()];
    long now = System.currentTimeMillis();
    put(host(), now);
    for (int c = 0; c < profile.containers(); c++) {
      put(container(c, null), now);
      for (int p = 0; p < profile.processesPerContainer(); p++) {
        put(process(c, p), now);
      }
      for (int k = 1; k <= profile.connectionsPerContainer(); k++) {
        put(outbound(c, k), now);
        put(inbound(c, k), now);
      }
    }
    for (int p = 0; p < profile.hostProcesses(); p++) {
      put(hostProcess(p), now);
    }
    changed.clear();
  }

  public static String hostId(int index) {
    return String.format("sim-h%05d", index);
  }

  public String hostId() {
    return hostId;
  }

  public String agentId() {
    return hostId;
  }

  public AgentMessage.Hello hello() {
    return new AgentMessage.Hello(Protocol.VERSION, agentId(), hostId, hostname(), "loadgen");
  }

  public int entryCount() {
    return entries.size();
  }

  /** A full report of everything, with fresh metric samples. */
  public AgentMessage.Report full() {
    long now = System.currentTimeMillis();
    changed.clear();
    return new AgentMessage.Report(Protocol.VERSION, agentId(), hostId, seq++, true, now,
        List.copyOf(entries.values()), null, samples(now));
  }

  /**
   * A delta: what changed since the last report (now and then a worker restarts), an optional
   * rename of container 0 (the latency probe), and fresh metric samples.
   */
  public AgentMessage.Report delta(String probeName) {
    long now = System.currentTimeMillis();
    if (random.nextInt(10) == 0) {
      int c = random.nextInt(profile.containers());
      int p = profile.processesPerContainer() - 1;
      if (p > 0) {
        String oldKey = Keys.process(hostId, pid(c, p));
        entries.remove(oldKey);
        changed.add(Entry.tombstone(oldKey, now));
        restarts[c]++;
        put(process(c, p), now);
      }
    }
    if (probeName != null) {
      put(container(0, probeName), now);
    }
    AgentMessage.Report report = new AgentMessage.Report(Protocol.VERSION, agentId(), hostId, seq++, false, now,
        List.copyOf(changed), null, samples(now));
    changed.clear();
    return report;
  }

  private void put(Payload payload, long now) {
    String key = keyOf(payload);
    Entry e = new Entry(key, now, payload);
    entries.put(key, e);
    changed.add(e);
  }

  private String keyOf(Payload payload) {
    if (payload instanceof Payload.Host) {
      return Keys.host(hostId);
    } else if (payload instanceof Payload.Container c) {
      return Keys.container(c.id());
    } else if (payload instanceof Payload.Process p) {
      return Keys.process(hostId, p.pid());
    }
    Payload.Connection c = (Payload.Connection) payload;
    return Keys.connection(hostId, c.protocol(), c.localAddress(), c.localPort(), c.remoteAddress(), c.remotePort());
  }

  /** Fresh metric values of every entry, as one columnar batch (as a real agent samples them together). */
  private MetricBatch samples(long now) {
    List<String> keys = new ArrayList<>();
    Columns columns = new Columns();
    for (Entry e : entries.values()) {
      Payload p = e.payload();
      if (p instanceof Payload.Host) {
        sixMetrics(columns, keys.size(), 16L << 30);
        keys.add(e.key());
      } else if (p instanceof Payload.Container) {
        sixMetrics(columns, keys.size(), 512L << 20);
        keys.add(e.key());
      } else if (p instanceof Payload.Process) {
        columns.add("cpu_percent", keys.size(), random.nextDouble() * 60);
        columns.add("rss_bytes", keys.size(), (double) (20L << 20) + random.nextInt(50 << 20));
        keys.add(e.key());
      }
    }
    return new MetricBatch(now, List.copyOf(keys), columns.build());
  }

  private void sixMetrics(Columns out, int key, long memory) {
    out.add("cpu_percent", key, random.nextDouble() * 70);
    out.add("memory_bytes", key, memory * (0.3 + random.nextDouble() * 0.3));
    out.add("net_rx_bytes_per_s", key, random.nextInt(5_000_000));
    out.add("net_tx_bytes_per_s", key, random.nextInt(5_000_000));
    out.add("disk_read_bytes_per_s", key, random.nextInt(1_000_000));
    out.add("disk_write_bytes_per_s", key, random.nextInt(1_000_000));
  }

  /** Columns being filled, one per metric name. */
  private static final class Columns {
    private final Map<String, int[]> index = new LinkedHashMap<>();
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new LinkedHashMap<>();

    void add(String metric, int key, double value) {
      int n = sizes.getOrDefault(metric, 0);
      int[] ix = index.computeIfAbsent(metric, m -> new int[64]);
      double[] vs = values.computeIfAbsent(metric, m -> new double[64]);
      if (n == ix.length) {
        ix = java.util.Arrays.copyOf(ix, n * 2);
        vs = java.util.Arrays.copyOf(vs, n * 2);
        index.put(metric, ix);
        values.put(metric, vs);
      }
      ix[n] = key;
      vs[n] = value;
      sizes.put(metric, n + 1);
    }

    List<MetricBatch.Column> build() {
      List<MetricBatch.Column> out = new ArrayList<>();
      sizes.forEach((metric, n) -> out.add(new MetricBatch.Column(metric, java.util.Arrays.copyOf(index.get(metric), n),
          java.util.Arrays.copyOf(values.get(metric), n))));
      return out;
    }
  }

  // ---- deterministic content ------------------------------------------------------------------

  private String hostname() {
    return hostId + ".loadgen";
  }

  static String hostIp(int h) {
    return "10.200." + (h / 250) + "." + (h % 250 + 1);
  }

  static String containerIp(int h, int c) {
    return "172." + (16 + h / 256) + "." + (h % 256) + "." + (c + 2);
  }

  static String containerId(int h, int c) {
    String seed = String.format("%08x%08x", h, c);
    return (seed + seed + seed + seed + seed + seed + seed + seed).substring(0, 64);
  }

  private int pid(int c, int p) {
    return 1000 + c * 100 + p + (p == profile.processesPerContainer() - 1 && p > 0 ? restarts[c] * 10_000 : 0);
  }

  private Payload.Host host() {
    return new Payload.Host(hostname(), List.of(new Payload.NetInterface("eth0", List.of(hostIp(index) + "/16"))),
        "Debian GNU/Linux 12", "6.1.0-loadgen", "amd64", 8, 32L << 30, List.of(), 1.5, 1.2, 1.0, 86_400);
  }

  private Payload.Container container(int c, String probeName) {
    String name = probeName != null ? probeName : "app-" + (c % 10) + "-" + hostId + "-" + c;
    return new Payload.Container(containerId(index, c), name, "loadgen/app-" + (c % 10) + ":1.0",
        "sha256:" + containerId(c, 99), "running", 1_700_000_000_000L, 1_700_000_000_000L,
        Map.of("app", "app-" + (c % 10), "io.kubernetes.pod.namespace", "ns-" + (c % 3)),
        Map.of("MODE", "****"), List.of(new Payload.Port(containerIp(index, c), 8080, 0, "tcp")), List.of(),
        Map.of("bridge", containerIp(index, c)), "bridge", 0, null, 512L << 20, 1.0);
  }

  private Payload.Process process(int c, int p) {
    String name = p == 0 ? "app-server" : "worker-" + p;
    return new Payload.Process(pid(c, p), p == 0 ? 900 + c : pid(c, 0), name,
        "/usr/bin/" + name + " --port 8080 --id " + c, 1000, "app", "/srv", "S", 4, containerId(index, c));
  }

  private Payload.Process hostProcess(int p) {
    String[] names = {"systemd", "sshd", "containerd", "dockerd", "cron", "portolan-agent"};
    String name = names[p % names.length];
    return new Payload.Process(100 + p, p == 0 ? 0 : 1, name, "/usr/sbin/" + name, 0, "root", "/", "S", 2, null);
  }

  /** Container c's k-th connection: to container (c+k) on host (index + 7k + 1). */
  private Payload.Connection outbound(int c, int k) {
    int target = Math.floorMod(index + 7 * k + 1, hostCount);
    int targetContainer = Math.floorMod(c + k, profile.containers());
    int pid = pid(c, Math.min(1, profile.processesPerContainer() - 1));
    return new Payload.Connection("tcp", containerIp(index, c), 30_000 + c * 10 + k, containerIp(target, targetContainer),
        8080, true, pid, containerId(index, c), 1, "proc");
  }

  /** The other end of some host's outbound connection k to container c here. */
  private Payload.Connection inbound(int c, int k) {
    int client = Math.floorMod(index - 7 * k - 1, hostCount);
    int clientContainer = Math.floorMod(c - k, profile.containers());
    return new Payload.Connection("tcp", containerIp(index, c), 8080, containerIp(client, clientContainer),
        30_000 + clientContainer * 10 + k, false, pid(c, 0), containerId(index, c), 1, "proc");
  }
}
