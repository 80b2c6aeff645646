package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.portolan.protocol.Payload;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watcher per Kubernetes cluster, however many agents run there: every agent (the DaemonSet's pods)
 * takes part in a leader election on one {@code coordination.k8s.io/v1} Lease, and only the holder runs
 * a {@link KubernetesWatcher}. The holder renews the lease every {@code retry-period}; if it cannot renew
 * within {@code renew-deadline} it stops its watcher. If it dies, the lease expires after
 * {@code lease.duration} and another agent takes it and starts its own watcher (a full list, so it
 * resyncs from the API, not from anything the old leader had). On a clean shutdown the holder releases
 * the lease, so the next one takes over within a retry period.
 *
 * <p>After losing the lease an agent goes back to candidate: the election loop runs until {@link #close()}.
 */
public final class LeaderElectedInventory implements KubernetesInventory {

  private static final Logger log = LoggerFactory.getLogger(LeaderElectedInventory.class);

  private final KubernetesClient client;
  private final KubernetesSettings settings;
  private final ExecutorService executor;
  private final AtomicLong generationBase = new AtomicLong(0);
  private volatile KubernetesWatcher watcher;
  private volatile String leader = "";
  private volatile boolean closed;
  private volatile CompletableFuture<?> election;

  private LeaderElectedInventory(KubernetesClient client, KubernetesSettings settings) {
    this.client = client;
    this.settings = settings;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "portolan-k8s-election");
      t.setDaemon(true);
      return t;
    });
  }

  /** Joins the election on {@code settings.leaseNamespace()/leaseName()} and returns at once. */
  public static LeaderElectedInventory start(KubernetesClient client, KubernetesSettings settings) {
    LeaderElectedInventory inventory = new LeaderElectedInventory(client, settings);
    inventory.elect();
    return inventory;
  }

  private void elect() {
    if (closed) {
      return;
    }
    LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
        .withName("portolan-watcher")
        .withLock(new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        .build(), executor);
    CompletableFuture<?> running = elector.start();
    election = running;
    running.whenComplete((ok, failure) -> {
      if (!closed && !running.isCancelled()) {
        // Lost the lease (or the loop failed): stand again as a candidate.
        log.info("kubernetes watcher election for {} ended ({}); standing again", settings.leaseName(),
            failure == null ? "lost the lease" : failure.toString());
        executor.execute(this::elect);
      }
    });
  }

  private synchronized void startedLeading() {
    if (closed) {
      return;
    }
    log.info("{} holds lease {}/{}: starting the kubernetes watcher for cluster {}", settings.identity(),
        settings.leaseNamespace(), settings.leaseName(), settings.clusterName());
    leader = settings.identity();
    stopWatcher();
    watcher = KubernetesWatcher.start(client, settings);
  }

  private synchronized void stoppedLeading() {
    log.info("{} no longer holds lease {}/{}: stopping the kubernetes watcher", settings.identity(),
        settings.leaseNamespace(), settings.leaseName());
    stopWatcher();
  }

  private void newLeader(String identity) {
    leader = identity == null ? "" : identity;
    log.info("kubernetes watcher lease {}/{} is held by {}", settings.leaseNamespace(), settings.leaseName(),
        leader);
  }

  private void stopWatcher() {
    KubernetesWatcher w = watcher;
    watcher = null;
    if (w != null) {
      // Keep generations increasing across watchers so a poller always sees the change.
      generationBase.addAndGet(w.generation() + 1);
      w.close();
    }
  }

  @Override
  public long generation() {
    KubernetesWatcher w = watcher;
    return generationBase.get() + (w == null ? 0 : w.generation());
  }

  @Override
  public Map<String, Payload> entries() {
    KubernetesWatcher w = watcher;
    return w == null ? Map.of() : w.entries();
  }

  @Override
  public Status status() {
    KubernetesWatcher w = watcher;
    if (w == null) {
      return new Status(Role.FOLLOWER, false, leader, 0, List.of());
    }
    return new Status(Role.LEADER, w.isSynced(), leader, w.entries().size(), w.unavailable());
  }

  /** The running watcher (leader only), for the benchmark and tests. */
  public KubernetesWatcher watcher() {
    return watcher;
  }

  /** Leaves the election, releasing the lease if held, and stops the watcher. Does not close the client. */
  @Override
  public void close() {
    closed = true;
    CompletableFuture<?> e = election;
    if (e != null) {
      e.cancel(true);
    }
    synchronized (this) {
      stopWatcher();
    }
    executor.shutdown();
  }
}
