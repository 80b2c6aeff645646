package io.portolan.gateway.containers;

import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.testing.AgentTestbed;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.TestNode;
import io.portolan.gateway.testing.WsClient;
import io.portolan.node.agent.Agent;
import io.portolan.persistence.testing.TestCassandra;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Log throughput and control round trip on the real engine, node and agent in this JVM:
 * <pre>
 * mvn -B -o -pl http-gateway test-compile
 * java -cp "$(cat http-gateway/target/test-classpath.txt):http-gateway/target/classes:http-gateway/target/test-classes" \
 *   io.portolan.gateway.containers.PipesBenchmark [seconds] [lines per 100 ms]
 * </pre>
 * (or run it from the IDE). A busybox container prints ~10,000 lines/s ({@code seq 1 1000} every
 * 100 ms; the second argument, e.g. 2000, prints more); one WebSocket client follows its log for {@code seconds} (30); the heap is measured
 * after a full GC before and after. Then pause/unpause 50 times each through the API; the call
 * returns once the agent has changed the container (the agent answers after the engine did).
 */
public final class PipesBenchmark {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    String token = "bench-" + UUID.randomUUID();
    String name = "portolan-bench-logs-" + UUID.randomUUID().toString().substring(0, 8);
    TestNode node = TestNode.start(TestCassandra.shared(), TestCassandra.uniqueKeyspace("pipebench"),
        ConfigFactory.parseMap(Map.of("portolan.agents.token", token)));
    ActorSystem<?> agent = null;
    try {
      AgentTestbed.docker("run", "-d", "--name", name, "--label", "io.portolan.test=true", AgentTestbed.IMAGE,
          "sh", "-c", "while true; do seq 1 " + batch + "; usleep 100000; done");
      agent = Agent.start(ConfigFactory.parseMap(Map.of(
              "portolan.node.agent.agent-id", "bench",
              "portolan.node.agent.cluster", List.of("ws://127.0.0.1:" + node.baseUri().replaceAll(".*:", "")),
              "portolan.node.agent.token", token))
          .withFallback(ConfigFactory.defaultReference()).resolve());
      HttpCalls.Client admin = node.admin();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (admin.get(node.baseUri() + "/api/search?q=type:container%20" + name).json().get("total").asInt() == 0) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("container not seen");
        }
        HttpCalls.sleep(200);
      }
      // Controls first, on an idle log pipe; then the log throughput phase.
      List<Long> pause = new ArrayList<>();
      List<Long> unpause = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        pause.add(timed(admin, node.baseUri() + "/api/containers/" + name + "/pause"));
        unpause.add(timed(admin, node.baseUri() + "/api/containers/" + name + "/unpause"));
      }
      List<Long> all = new ArrayList<>(pause);
      all.addAll(unpause);
      System.out.printf("CONTROL: pause p50 %.1f ms p95 %.1f ms; unpause p50 %.1f ms p95 %.1f ms; all (n=%d) p50 %.1f"
              + " ms p95 %.1f ms max %.1f ms%n", pct(pause, 50), pct(pause, 95), pct(unpause, 50), pct(unpause, 95),
          all.size(), pct(all, 50), pct(all, 95), pct(all, 100));
      HttpCalls.sleep(3000);
      long heapBefore = heapAfterGc();
      long cpuBefore = cpuNanos();
      String produceSince = Long.toString(System.currentTimeMillis() / 1000);
      WsClient ws = WsClient.open(node.baseUri() + "/api/containers/" + name + "/logs/ws?follow=true&tail=0", admin.token());
      ws.keepAll = false;
      long start = System.nanoTime();
      long[] perSecond = new long[seconds];
      long last = 0;
      for (int s = 0; s < seconds; s++) {
        Thread.sleep(1000);
        long now = ws.textLines; // the client keeps no lines (keepAll false): it only counts
        perSecond[s] = now - last;
        last = now;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long delivered = ws.textLines;
      long frames = ws.textFrames;
      String produceUntil = Long.toString(System.currentTimeMillis() / 1000);
      ws.close();
      long cpu = cpuNanos() - cpuBefore;
      HttpCalls.sleep(2000);
      long heapAfter = heapAfterGc();
      String produced = AgentTestbed.docker("logs", "--since", produceSince, "--until", produceUntil, name);
      long producedLines = produced.lines().count();
      System.out.printf("LOGS: %d lines delivered in %.1f s = %.0f lines/s (container produced %d lines in the"
              + " window = %.0f lines/s); per second min %d max %d%n", delivered, elapsed, delivered / elapsed,
          producedLines, producedLines / Math.max(1.0, Double.parseDouble(produceUntil) - Double.parseDouble(produceSince)),
          min(perSecond), max(perSecond));
      System.out.printf("LOGS: %d WebSocket frames (%.0f lines per frame)%n", frames, delivered / Math.max(1.0, frames));
      System.out.printf("LOGS: heap after full GC before %d MiB, after %d MiB; JVM CPU %.1f s over %.1f s%n",
          heapBefore >> 20, heapAfter >> 20, cpu / 1e9, elapsed);

      // A client that stops reading (a stuck tab) for 20 s while the container goes on printing:
      // the backlog must stay in the container's log file, not in the node's or the agent's heap.
      WsClient stuck = WsClient.open(node.baseUri() + "/api/containers/" + name + "/logs/ws?follow=true&tail=0",
          admin.token());
      stuck.keepAll = false;
      Thread.sleep(1000);
      stuck.pause();
      long stuckAt = stuck.textLines;
      long heapStuckBefore = heapAfterGc();
      Thread.sleep(20_000);
      long heapStuck = heapAfterGc();
      long whileStuck = stuck.textLines - stuckAt;
      stuck.resume();
      long resumedAt = stuck.textLines;
      Thread.sleep(10_000);
      long afterResume = stuck.textLines - resumedAt;
      stuck.close();
      System.out.printf("LOGS: stuck client: %d lines taken in the 20 s it did not read; heap after GC %d MiB at the"
              + " start, %d MiB after 20 s; after resuming %d lines in 10 s (%.0f lines/s, catching up)%n",
          whileStuck, heapStuckBefore >> 20, heapStuck >> 20, afterResume, afterResume / 10.0);

    } catch (Throwable t) {
      t.printStackTrace();
    } finally {
      if (agent != null) {
        agent.terminate();
      }
      AgentTestbed.docker("rm", "-f", name);
      node.close();
      System.exit(0);
    }
  }

  private static long timed(HttpCalls.Client client, String url) {
    long t0 = System.nanoTime();
    HttpCalls.Reply r = client.post(url, "");
    long t = System.nanoTime() - t0;
    if (r.status() != 200) {
      throw new AssertionError(url + " → " + r.status() + " " + r.body());
    }
    return t;
  }

  private static double pct(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long min(long[] a) {
    long m = Long.MAX_VALUE;
    for (long x : a) {
      m = Math.min(m, x);
    }
    return m;
  }

  private static long max(long[] a) {
    long m = 0;
    for (long x : a) {
      m = Math.max(m, x);
    }
    return m;
  }
}
