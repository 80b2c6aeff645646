package io.portolan.node.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.portolan.protocol.Payload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of one Kubernetes cluster: namespaces, nodes, pods, services, EndpointSlices, deployments,
 * replica sets, stateful sets, daemon sets, jobs, cron jobs and events, all namespaces. Every watch event
 * bumps a generation counter; {@link #entries()} rebuilds the protocol entries from the informers' caches
 * only when the generation moved, so a quiet cluster costs nothing but the open watches, and a busy one
 * at most one rebuild per poll of the collector.
 *
 * <p>Not elected by itself: {@link LeaderElectedInventory} starts one only on the lease holder.
 */
public final class KubernetesWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubernetesWatcher.class);

  private final KubernetesSettings settings;
  private final InventoryBuilder builder;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final List<String> unavailable = new CopyOnWriteArrayList<>();
  private final AtomicLong generation = new AtomicLong(1);
  private final CompletableFuture<Void> synced;
  private final long startedNanos = System.nanoTime();
  private volatile long syncedAfterMillis = -1;
  private volatile boolean closed;

  private long builtAt = -1;
  private Map<String, Payload> built = Map.of();

  // typed informers, read by entries()
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Namespace> namespaces;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Node> nodes;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Pod> pods;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Service> services;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> endpointSlices;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.Deployment> deployments;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.ReplicaSet> replicaSets;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.StatefulSet> statefulSets;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.DaemonSet> daemonSets;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.batch.v1.CronJob> cronJobs;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.Event> events;

  private KubernetesWatcher(KubernetesClient client, KubernetesSettings settings) {
    this.settings = settings;
    this.builder = new InventoryBuilder(settings.clusterName(), settings.maxEvents());
    namespaces = informer("namespaces", client.namespaces());
    nodes = informer("nodes", client.nodes());
    pods = informer("pods", client.pods().inAnyNamespace());
    services = informer("services", client.services().inAnyNamespace());
    endpointSlices = informer("endpointslices", client.discovery().v1().endpointSlices().inAnyNamespace());
    deployments = informer("deployments", client.apps().deployments().inAnyNamespace());
    replicaSets = informer("replicasets", client.apps().replicaSets().inAnyNamespace());
    statefulSets = informer("statefulsets", client.apps().statefulSets().inAnyNamespace());
    daemonSets = informer("daemonsets", client.apps().daemonSets().inAnyNamespace());
    jobs = informer("jobs", client.batch().v1().jobs().inAnyNamespace());
    cronJobs = informer("cronjobs", client.batch().v1().cronjobs().inAnyNamespace());
    events = informer("events", client.v1().events().inAnyNamespace());
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < informers.size(); i++) {
      SharedIndexInformer<? extends HasMetadata> informer = informers.get(i);
      String what = informer.getApiTypeClass().getSimpleName();
      starts.add(informer.start().toCompletableFuture().handle((ok, failure) -> {
        if (failure != null && !closed) {
          // Forbidden or not served: report the kind as empty rather than never being complete.
          log.warn("cannot watch {}: {}; it is reported as empty", what, failure.getMessage());
          unavailable.add(what);
          informer.stop();
        }
        return null;
      }));
    }
    synced = CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).thenRun(() -> {
      syncedAfterMillis = (System.nanoTime() - startedNanos) / 1_000_000;
      generation.incrementAndGet();
      log.info("kubernetes watcher for cluster {} synced in {} ms", settings.clusterName(), syncedAfterMillis);
    });
  }

  /** Starts the informers; they list (paged) and then watch. Does not block. */
  public static KubernetesWatcher start(KubernetesClient client, KubernetesSettings settings) {
    return new KubernetesWatcher(client, settings);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informer(String what, Informable<T> source) {
    SharedIndexInformer<T> informer = source.withLimit(settings.listPageSize())
        .runnableInformer(settings.resync().toMillis());
    informer.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        generation.incrementAndGet();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        generation.incrementAndGet();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        generation.incrementAndGet();
      }
    });
    informers.add(informer);
    return informer;
  }

  /** Completes when every informer has listed once (kinds that cannot be watched count as done). */
  public CompletableFuture<Void> synced() {
    return synced;
  }

  public boolean isSynced() {
    return synced.isDone();
  }

  /** Milliseconds from start to synced, or -1 before. */
  public long syncedAfterMillis() {
    return syncedAfterMillis;
  }

  public long generation() {
    return generation.get();
  }

  public List<String> unavailable() {
    return List.copyOf(unavailable);
  }

  /** The entries of the cached objects; empty until synced, so a report never holds half a cluster. */
  public synchronized Map<String, Payload> entries() {
    if (!isSynced()) {
      return Map.of();
    }
    long g = generation.get();
    if (g != builtAt) {
      built = Map.copyOf(builder.build(new InventoryBuilder.Objects(
          list(namespaces), list(nodes), list(pods), list(services), list(endpointSlices), list(deployments),
          list(replicaSets), list(statefulSets), list(daemonSets), list(jobs), list(cronJobs), list(events))));
      builtAt = g;
    }
    return built;
  }

  private static <T> Collection<T> list(SharedIndexInformer<T> informer) {
    return informer.getStore().list();
  }

  @Override
  public void close() {
    closed = true;
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      try {
        informer.stop();
      } catch (RuntimeException e) {
        log.debug("stopping an informer failed", e);
      }
    }
    synced.cancel(false);
  }
}
