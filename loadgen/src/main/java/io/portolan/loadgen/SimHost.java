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
      restartOne(now);
    }
    return changedDelta(probeName, now);
  }

  /** The delta of what changed so far (a restart drawn by {@link #metricOnlyDeltaFrame}), with the probe name if any. */
  public AgentMessage.Report changedDelta(String probeName, long now) {
    if (probeName != null) {
      put(container(0, probeName), now);
    }
    AgentMessage.Report report = new AgentMessage.Report(Protocol.VERSION, agentId(), hostId, seq++, false, now,
        List.copyOf(changed), null, samples(now));
    changed.clear();
    return report;
  }

  /** Now and then a worker restarts: a tombstone for its old pid and a new process. */
  private boolean restartOne(long now) {
    int c = random.nextInt(profile.containers());
    int p = profile.processesPerContainer() - 1;
    if (p <= 0) {
      return false;
    }
    String oldKey = Keys.process(hostId, pid(c, p));
    entries.remove(oldKey);
    changed.add(Entry.tombstone(oldKey, now));
    restarts[c]++;
    put(process(c, p), now);
    template = null; // the keys changed
    return true;
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
    sample(keys, columns::add, draws);
    return new MetricBatch(now, List.copyOf(keys), columns.build());
  }

  /** Receives one metric value of the entry with index {@code key} in the batch's keys. */
  @FunctionalInterface
  private interface Values {
    void add(String metric, int key, double value);
  }

  /** Where metric values come from: the host's random walk, or (for the frame template) nowhere. */
  private interface Draws {
    double nextDouble();

    int nextInt(int bound);
  }

  private final Draws draws = new Draws() {
    @Override
    public double nextDouble() {
      return random.nextDouble();
    }

    @Override
    public int nextInt(int bound) {
      return random.nextInt(bound);
    }
  };

  private static final Draws NO_DRAWS = new Draws() {
    @Override
    public double nextDouble() {
      return 0;
    }

    @Override
    public int nextInt(int bound) {
      return 0;
    }
  };

  /** Draws a fresh value of every metric of every entry, always in the same order for the same entries. */
  private void sample(List<String> keys, Values out, Draws random) {
    for (Entry e : entries.values()) {
      Payload p = e.payload();
      if (p instanceof Payload.Host) {
        sixMetrics(out, keys.size(), 16L << 30, random);
        keys.add(e.key());
      } else if (p instanceof Payload.Container) {
        sixMetrics(out, keys.size(), 512L << 20, random);
        keys.add(e.key());
      } else if (p instanceof Payload.Process) {
        out.add("cpu_percent", keys.size(), random.nextDouble() * 60);
        out.add("rss_bytes", keys.size(), (double) (20L << 20) + random.nextInt(50 << 20));
        keys.add(e.key());
      }
    }
  }

  private static void sixMetrics(Values out, int key, long memory, Draws random) {
    out.add("cpu_percent", key, random.nextDouble() * 70);
    out.add("memory_bytes", key, memory * (0.3 + random.nextDouble() * 0.3));
    out.add("net_rx_bytes_per_s", key, random.nextInt(5_000_000));
    out.add("net_tx_bytes_per_s", key, random.nextInt(5_000_000));
    out.add("disk_read_bytes_per_s", key, random.nextInt(1_000_000));
    out.add("disk_write_bytes_per_s", key, random.nextInt(1_000_000));
  }

  // ---- pre-encoded deltas ---------------------------------------------------------------------

  /**
   * A delta frame that only carries fresh metric values, encoded without Jackson: the CBOR of such
   * a delta is the same for every report of this host except the sequence number, the two clocks
   * and the values, so it is encoded once (with marker values) and each report copies it and
   * writes those fields in place. The cluster decodes exactly what {@link #delta} would have sent
   * (the same values drawn in the same order); only the integers travel in their 8-byte CBOR form.
   * Deltas that change entries (restarts, probes) are encoded in full. Returns null when this
   * delta changes entries.
   */
  public byte[] metricOnlyDeltaFrame(String probeName) {
    long now = System.currentTimeMillis();
    boolean restarted = random.nextInt(10) == 0 && restartOne(now);
    if (restarted || probeName != null) {
      return null;
    }
    if (template == null) {
      template = Template.of(this);
    }
    byte[] frame = template.bytes.clone();
    Template.putLong(frame, template.seqAt, seq++);
    Template.putLong(frame, template.sentAtAt, now);
    Template.putLong(frame, template.timestampAt, now);
    int[] slot = {0};
    sample(new ArrayList<>(entries.size()), (metric, key, value) ->
        Template.putLong(frame, template.valueAt[slot[0]++], Double.doubleToRawLongBits(value)), draws);
    return frame;
  }

  /** The encoded metric-only delta of the current entries, and where its variable fields are. */
  private Template template;

  private static final class Template {
    private static final long SEQ = 0x5E00_0000_0000_0001L;
    private static final long SENT_AT = 0x5E00_0000_0000_0002L;
    private static final long TIMESTAMP = 0x5E00_0000_0000_0003L;
    /** Marker value i: a large finite double with i in its low bits. */
    private static final long VALUE_BITS = 0x7FE0_0000_0000_0000L;

    final byte[] bytes;
    final int seqAt;
    final int sentAtAt;
    final int timestampAt;
    final int[] valueAt;

    private Template(byte[] bytes, int seqAt, int sentAtAt, int timestampAt, int[] valueAt) {
      this.bytes = bytes;
      this.seqAt = seqAt;
      this.sentAtAt = sentAtAt;
      this.timestampAt = timestampAt;
      this.valueAt = valueAt;
    }

    static Template of(SimHost host) {
      List<String> keys = new ArrayList<>();
      Columns columns = new Columns();
      int[] count = {0};
      // markers in place of values, drawing nothing: the host's random sequence is the one delta() uses
      host.sample(keys, (metric, key, value) -> columns.add(metric, key,
          Double.longBitsToDouble(VALUE_BITS | ++count[0])), NO_DRAWS);
      byte[] bytes = Protocol.encode(new AgentMessage.Report(Protocol.VERSION, host.agentId(), host.hostId, SEQ, false,
          SENT_AT, List.of(), null, new MetricBatch(TIMESTAMP, List.copyOf(keys), columns.build())));
      int[] valueAt = new int[count[0]];
      int seqAt = -1;
      int sentAtAt = -1;
      int timestampAt = -1;
      for (int i = 0; i + 9 <= bytes.length; i++) {
        int head = bytes[i] & 0xff;
        if (head != 0x1b && head != 0xfb) {
          continue;
        }
        long v = getLong(bytes, i + 1);
        if (head == 0x1b && v == SEQ) {
          seqAt = i + 1;
        } else if (head == 0x1b && v == SENT_AT) {
          sentAtAt = i + 1;
        } else if (head == 0x1b && v == TIMESTAMP) {
          timestampAt = i + 1;
        } else if (head == 0xfb && (v & 0xFFFF_FFFF_FFFF_0000L) == VALUE_BITS && (v & 0xFFFF) > 0
            && (v & 0xFFFF) <= valueAt.length) {
          valueAt[(int) (v & 0xFFFF) - 1] = i + 1;
        }
      }
      for (int at : valueAt) {
        if (at == 0 || seqAt < 0 || sentAtAt < 0 || timestampAt < 0) {
          throw new IllegalStateException("the metric-only delta of " + host.hostId + " does not encode as expected");
        }
      }
      return new Template(bytes, seqAt, sentAtAt, timestampAt, valueAt);
    }

    static long getLong(byte[] b, int at) {
      long v = 0;
      for (int k = 0; k < 8; k++) {
        v = (v << 8) | (b[at + k] & 0xff);
      }
      return v;
    }

    static void putLong(byte[] b, int at, long v) {
      for (int k = 7; k >= 0; k--) {
        b[at + k] = (byte) v;
        v >>>= 8;
      }
    }
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
