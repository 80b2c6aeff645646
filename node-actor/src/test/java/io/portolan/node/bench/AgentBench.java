package io.portolan.node.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.portolan.node.testkit.TestClusterServer;
import io.portolan.node.testkit.TestContainers;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.Payload;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent benchmark (node-actor/bench/agent-bench.sh): N busybox containers, each with S idle
 * processes, an httpd and a client loop fetching from the previous container every second; the agent
 * runs as its own JVM (flags from AGENT_JVM_FLAGS) reporting to an in-process WebSocket server; over
 * the measured window it pauses/unpauses and restarts containers and records event → report latency.
 * Prints agent CPU (% of one core, from /proc/<pid>/stat), RSS and the latency percentiles.
 */
public final class AgentBench {

  /** Used when AGENT_JVM_FLAGS is unset; bench/agent-bench.sh sets it to the recommended flags (and CDS). */
  static final String DEFAULT_FLAGS = "-Xms8m -Xmx36m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
      + " -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=12m"
      + " -XX:MaxMetaspaceSize=48m -XX:CompressedClassSpaceSize=16m -XX:-UsePerfData";

  public static void main(String[] args) throws Exception {
    String agentCp = arg(args, "--agent-classpath", null);
    int containers = Integer.parseInt(arg(args, "--containers", "33"));
    int sleepers = Integer.parseInt(arg(args, "--sleepers", "16"));
    int seconds = Integer.parseInt(arg(args, "--seconds", "60"));
    int warmup = Integer.parseInt(arg(args, "--warmup", "20"));
    String flags = System.getenv().getOrDefault("AGENT_JVM_FLAGS", DEFAULT_FLAGS);
    String extraArgs = System.getenv().getOrDefault("AGENT_ARGS", "");
    String mallocArenas = System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2");
    if (agentCp == null) {
      throw new IllegalArgumentException("--agent-classpath is required (see bench/agent-bench.sh)");
    }

    Process agent = null;
    List<String> latencies = new CopyOnWriteArrayList<>();
    try (TestContainers tc = new TestContainers();
        TestClusterServer cluster = new TestClusterServer("bench")) {
      DockerClient docker = tc.docker();
      TestContainers.removeLeftovers(docker, "portolan-test-bench");
      System.out.printf("starting %d containers with %d idle processes each ...%n", containers, sleepers);
      List<String> ids = new ArrayList<>();
      String prevIp = "127.0.0.1";
      for (int i = 0; i < containers; i++) {
        String script = "for i in $(seq " + sleepers + "); do sleep 100000 & done; "
            + "mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www; "
            + "while true; do wget -q -O /dev/null http://" + prevIp + ":8080/ ; sleep 1; done";
        String id = tc.run("bench-" + i, script, Map.of("bench", "agent"), List.of());
        ids.add(id);
        prevIp = tc.ip(id);
      }
      cluster.start(0);

      // the engine's event times, to measure event → report
      Map<String, Long> eventAt = new ConcurrentHashMap<>(); // "<id>|<state the event implies>" -> engine epoch nanos
      Map<String, Long> reportAt = new ConcurrentHashMap<>(); // "<id>|<state>" -> first report after the action
      var events = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).exec(new ResultCallback.Adapter<Event>() {
        @Override
        public void onNext(Event e) {
          String expected = switch (String.valueOf(e.getAction())) {
            case "pause" -> "paused";
            case "unpause", "start" -> "running";
            case "die" -> "exited";
            default -> null;
          };
          if (expected != null && e.getTimeNano() != null) {
            eventAt.put(e.getId() + "|" + expected, e.getTimeNano());
          }
        }
      });
      AtomicLong frames = new AtomicLong();
      AtomicLong measuring = new AtomicLong();
      cluster.onFrame(f -> {
        frames.incrementAndGet();
        if (measuring.get() == 0 || !(f.message() instanceof AgentMessage.Report r)) {
          return;
        }
        long recvNanos = f.receivedAtMillis() * 1_000_000L;
        for (Entry e : r.entries()) {
          if (e.payload() instanceof Payload.Container c) {
            reportAt.putIfAbsent(c.id() + "|" + c.state(), recvNanos);
          }
        }
      });

      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of(flags.trim().split("\\s+")));
      cmd.addAll(List.of("-cp", agentCp, "io.portolan.node.agent.AgentMain", "--cluster", cluster.address(),
          "--token", "bench", "--agent-id", "bench-host"));
      if (!extraArgs.isBlank()) {
        cmd.addAll(List.of(extraArgs.trim().split("\\s+")));
      }
      File log = new File("target/agent-bench.log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
      pb.environment().put("MALLOC_ARENA_MAX", mallocArenas);
      agent = pb.start();
      long pid = agent.pid();
      System.out.println("agent pid " + pid + ", log " + log.getAbsolutePath());

      Map<String, Entry> view = cluster.awaitView("all containers and their processes", Duration.ofSeconds(90),
          v -> v.values().stream().filter(e -> e.payload() instanceof Payload.Container c && c.state().equals("running")
              && ids.contains(c.id())).count() == containers
              && v.values().stream().filter(e -> e.payload() instanceof Payload.Process p
              && ids.contains(p.containerId())).count() >= (long) containers * (sleepers + 2));
      long procs = view.values().stream().filter(e -> e.payload() instanceof Payload.Process).count();
      long conns0 = view.values().stream().filter(e -> e.payload() instanceof Payload.Connection).count();
      System.out.printf("agent sees %d containers, %d processes, %d connection entries; warming up %d s%n",
          containers, procs, conns0, warmup);
      long conns;
      TimeUnit.SECONDS.sleep(warmup);

      String load0 = Files.readString(Path.of("/proc/loadavg")).strip();
      Map<String, Long> threads0 = threadTicks(pid);
      long[] t0 = cpuTicks(pid);
      long wall0 = System.nanoTime();
      long frames0 = frames.get();
      long bytes0 = 0;
      measuring.set(1);
      List<Long> rss = new ArrayList<>();
      int cycle = 0;
      while (System.nanoTime() - wall0 < TimeUnit.SECONDS.toNanos(seconds)) {
        if (!agent.isAlive()) {
          throw new IllegalStateException("the agent exited with status " + agent.exitValue() + "; see "
              + log.getAbsolutePath());
        }
        String target = ids.get(cycle % ids.size());
        // Each action waits until the cluster side shows its state, so that every event is matched by the
        // first report that carries it (pause and unpause back to back could otherwise fold into no change).
        boolean restart = cycle % 10 == 9;
        String first = restart ? "exited" : "paused";
        expect(eventAt, reportAt, target, first);
        if (restart) {
          docker.stopContainerCmd(target).withTimeout(0).exec();
        } else {
          docker.pauseContainerCmd(target).exec();
        }
        awaitState(cluster, target, first);
        record(eventAt, reportAt, target, first, latencies);
        expect(eventAt, reportAt, target, "running");
        if (restart) {
          docker.startContainerCmd(target).exec();
        } else {
          docker.unpauseContainerCmd(target).exec();
        }
        awaitState(cluster, target, "running");
        record(eventAt, reportAt, target, "running", latencies);
        rss.add(rssKb(pid));
        cycle++;
        TimeUnit.MILLISECONDS.sleep(1000);
      }
      long[] t1 = cpuTicks(pid);
      String load1 = Files.readString(Path.of("/proc/loadavg")).strip();
      Map<String, Long> threads1 = threadTicks(pid);
      conns = cluster.view().values().stream().filter(e -> e.payload() instanceof Payload.Connection).count();
      if (flags.contains("NativeMemoryTracking")) {
        new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary").inheritIO().start().waitFor();
      }
      double wall = (System.nanoTime() - wall0) / 1e9;
      measuring.set(0);
      events.close();

      double cpu = 100.0 * ((t1[0] + t1[1]) - (t0[0] + t0[1])) / 100.0 / wall;
      List<Double> lat = new ArrayList<>();
      latencies.forEach(l -> lat.add(Double.parseDouble(l.split(" ")[1])));
      Collections.sort(lat);
      long rssMax = rss.stream().mapToLong(Long::longValue).max().orElse(0);
      double rssAvg = rss.stream().mapToLong(Long::longValue).average().orElse(0);
      System.out.println();
      System.out.println("=== Portolan agent benchmark, " + LocalDateTime.now().withNano(0) + " ===");
      System.out.printf("machine: %d cores, %.1f GiB; kernel %s; %s%n", Runtime.getRuntime().availableProcessors(),
          memTotalGiB(), Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      System.out.printf("workload: %d containers x (%d sleep + sh + httpd + client loop), %d processes seen,"
          + " %d connection entries%n", containers, sleepers, procs, conns);
      System.out.println("machine load (/proc/loadavg) at the window's start: " + load0 + "; at its end: " + load1);
      System.out.println("agent JVM flags: " + flags + (extraArgs.isBlank() ? "" : "  agent args: " + extraArgs)
          + "  env: MALLOC_ARENA_MAX=" + mallocArenas);
      System.out.printf("agent CPU: %.2f %% of one core (average over %.0f s; utime %d, stime %d ticks)%n",
          cpu, wall, t1[0] - t0[0], t1[1] - t0[1]);
      System.out.printf("agent RSS: %.1f MB average, %.1f MB max%n", rssAvg / 1024, rssMax / 1024.0);
      System.out.printf("frames received: %.1f per second%n", (frames.get() - frames0) / wall);
      Map<String, Long> byName = new java.util.TreeMap<>();
      threads1.forEach((k, v) -> byName.merge(k.substring(k.indexOf(' ') + 1), v - threads0.getOrDefault(k, 0L), Long::sum));
      System.out.print("agent CPU by thread (ticks of 10 ms):");
      byName.entrySet().stream().filter(e -> e.getValue() > 0).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .forEach(e -> System.out.print(" " + e.getKey() + "=" + e.getValue()));
      System.out.println();
      if (lat.isEmpty()) {
        System.out.println("event -> report latency: no samples");
      } else {
        System.out.printf("event -> report latency (%d events: pause, unpause, die, start): p50 %.1f ms, p95 %.1f ms,"
            + " max %.1f ms%n", lat.size(), pct(lat, 50), pct(lat, 95), lat.get(lat.size() - 1));
      }
    } finally {
      if (agent != null) {
        agent.destroy();
        if (!agent.waitFor(10, TimeUnit.SECONDS)) {
          agent.destroyForcibly();
        }
      }
    }
    System.exit(0);
  }

  static void expect(Map<String, Long> eventAt, Map<String, Long> reportAt, String id, String state) {
    eventAt.remove(id + "|" + state);
    reportAt.remove(id + "|" + state);
  }

  /** Event time from the engine, report time from the frame's arrival; waits briefly for our own event copy. */
  static void record(Map<String, Long> eventAt, Map<String, Long> reportAt, String id, String state,
      List<String> latencies) throws InterruptedException {
    String k = id + "|" + state;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while ((eventAt.get(k) == null || reportAt.get(k) == null) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(2);
    }
    Long ev = eventAt.get(k);
    Long rep = reportAt.get(k);
    if (ev != null && rep != null) {
      latencies.add(state + " " + (rep - ev) / 1_000_000.0);
    } else {
      System.out.println("warning: no " + (ev == null ? "event" : "report") + " for " + k);
    }
  }

  static void awaitState(TestClusterServer cluster, String id, String state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Entry e = cluster.view().get("container:" + id);
      if (e != null && ((Payload.Container) e.payload()).state().equals(state)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(5);
    }
    System.out.println("warning: " + id.substring(0, 12) + " not " + state + " in the cluster view after 5 s");
  }

  static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** utime and stime of the whole process (all threads), in clock ticks. */
  static long[] cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** "<tid> <name>" → utime + stime, per thread; pool names are shortened to their prefix. */
  static Map<String, Long> threadTicks(long pid) throws Exception {
    Map<String, Long> out = new java.util.HashMap<>();
    try (var dirs = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : dirs.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(t.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (java.io.IOException e) {
          // thread ended
        }
      }
    }
    return out;
  }

  static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  static double memTotalGiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
      }
    }
    return 0;
  }

  static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
