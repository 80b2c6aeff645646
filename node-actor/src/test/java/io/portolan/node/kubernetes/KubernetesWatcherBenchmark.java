package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Watcher benchmark (k8s/bench-watcher.sh runs it): two JVMs so that the figures are the watcher's alone.
 *
 * <ul>
 *   <li>{@code server <pods> <deployments> <services> <namespaces> <urlFile>}: fabric8's CRUD mock API with the
 *       objects created through a client, then its URL written to {@code urlFile}; runs until killed.</li>
 *   <li>{@code watch <urlFile> <expectedEntries> <steadySeconds>}: an agent's {@link LeaderElectedInventory}
 *       (lease election, then informers) from start to a complete inventory, then process CPU over the
 *       steady state while the collector's 1 s poll runs, then heap used after a full GC.</li>
 * </ul>
 */
public final class KubernetesWatcherBenchmark {

  private KubernetesWatcherBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      server(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Path.of(args[5]));
    } else if (args.length > 0 && args[0].equals("watch")) {
      watch(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } else {
      System.err.println("usage: server <pods> <deployments> <services> <namespaces> <urlFile> | "
          + "watch <urlFile> <expectedEntries> <steadySeconds>");
      System.exit(2);
    }
  }

  /** Held so that the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static void server(int pods, int deployments, int services, int namespaces, Path urlFile) throws Exception {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = MockApi.start();
    long t0 = System.nanoTime();
    try (KubernetesClient client = server.createClient()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        client.resource(KubeFixtures.namespace("ns-" + n)).create();
      }
      for (int d = 0; d < deployments; d++) {
        int i = d;
        done.add(pool.submit(() -> client.resource(KubeFixtures.deployment("ns-" + (i % namespaces), "app-" + i, 2, 2))
            .create()));
      }
      for (int p = 0; p < pods; p++) {
        int i = p;
        int app = i % deployments;
        done.add(pool.submit(() -> client.resource(KubeFixtures.pod("ns-" + (app % namespaces), "app-" + app + "-" + i,
            "app-" + app, "app-" + app + "-5d8f7", "node-" + (i % 50), String.format("%064x", i), i % 3)).create()));
      }
      for (int s = 0; s < services; s++) {
        int i = s;
        done.add(pool.submit(() -> client.resource(KubeFixtures.service("ns-" + (i % namespaces), "app-" + i, "app-" + i))
            .create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
    }
    System.out.printf("mock API: %d namespaces, %d deployments, %d pods, %d services created in %d ms%n", namespaces,
        deployments, pods, services, (System.nanoTime() - t0) / 1_000_000);
    Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
    Files.writeString(tmp, server.url("/"));
    Files.move(tmp, urlFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }

  static void watch(Path urlFile, int expected, int steadySeconds) throws Exception {
    String url = Files.readString(urlFile).strip();
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true).withNamespace("default")
        .build();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      KubernetesSettings settings = KubernetesSettings.defaults().withIdentity("bench-agent");
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      try (LeaderElectedInventory inventory = LeaderElectedInventory.start(client, settings)) {
        int size = 0;
        while (size < expected) {
          Thread.sleep(10);
          size = inventory.entries().size();
          if (System.nanoTime() - t0 > Duration.ofSeconds(120).toNanos()) {
            throw new IllegalStateException("no complete inventory after 120 s (" + size + " of " + expected + ")");
          }
        }
        long completeMs = (System.nanoTime() - t0) / 1_000_000;
        long syncMs = inventory.watcher().syncedAfterMillis();
        double startCpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("complete inventory: %d entries %d ms after start (informers synced after %d ms of "
            + "watching; the rest is the lease election); CPU to get there %.2f s%n", size, completeMs, syncMs,
            startCpuS);

        Thread.sleep(5000); // let JIT and the first lease renewals settle
        long cpu1 = os.getProcessCpuTime();
        long w1 = System.nanoTime();
        long lastGeneration = -1;
        int sends = 0;
        for (int s = 0; s < steadySeconds; s++) {
          Thread.sleep(1000);
          long g = inventory.generation();   // what KubernetesCollector does every poll-interval
          if (g != lastGeneration) {
            inventory.entries();
            lastGeneration = g;
            sends++;
          }
        }
        double cpuS = (os.getProcessCpuTime() - cpu1) / 1e9;
        double wallS = (System.nanoTime() - w1) / 1e9;
        System.out.printf("steady state: %.3f s CPU over %.1f s = %.2f%% of one core (%d inventory sends)%n", cpuS,
            wallS, 100 * cpuS / wallS, sends);
        System.gc();
        Thread.sleep(500);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("heap used after GC: %.1f MiB%n", heap / 1048576.0);
        // One full rebuild, as after any change: how long the collector's entries() takes at this size.
        inventory.watcher().synced().join();
        long r0 = System.nanoTime();
        var watcher = inventory.watcher();
        java.lang.reflect.Field f = KubernetesWatcher.class.getDeclaredField("builtAt");
        f.setAccessible(true);
        synchronized (watcher) {
          f.setLong(watcher, -1);
        }
        watcher.entries();
        System.out.printf("one full inventory rebuild: %d ms%n", (System.nanoTime() - r0) / 1_000_000);
      }
    }
  }
}
