package io.portolan.cluster.view;

import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.cluster.topology.TopologyStore.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Views over this node's {@link TopologyStore}, rendered in the background and shared.
 *
 * <p>While a view is <em>in use</em> (a stream watches it, or it is asked for often: its last two
 * requests less than {@code view-keep-warm} apart, the last one less than that ago), one background thread renders it again every {@code view-refresh-interval}
 * (250 ms) when the model changed since its last render; callers read the latest render instead of
 * rendering on their own thread. Renders are therefore made at a bounded rate however many
 * requests and streams there are, and a GET costs the bytes of the latest render. A render answered
 * is never older than {@code view-max-age} (300 ms) while the model keeps changing: a caller that finds
 * an older one (the view was not in use, or the background thread fell behind) renders it itself,
 * or waits for the render in progress. Age is measured from when the model was taken. A view nobody
 * uses is not rendered at all. Thread-safe.
 *
 * <p>Listeners ({@link #onRender}) see every new render on the thread that made it (the gateway
 * prepares the JSON of views that are asked for there, so that the request thread only writes bytes).
 */
public final class ViewService implements AutoCloseable {

  /**
   * A render and the model it was made from. {@code modelAtNanos}: when the model was taken
   * ({@link System#nanoTime}); the render's age counts from there. {@code seq} numbers the renders
   * of one view (streams send a render they have not seen).
   */
  public record Rendered(ViewDesc view, Model model, Topology topology, long modelAtNanos, long renderNanos, long seq) {}

  /** A view's entry in {@code GET /api/topology}. */
  public record ViewSummary(String name, String label, String nodeKind, int nodes, int edges) {}

  /** Where one view stands. */
  private static final class Slot {
    final ViewDesc view;
    final Object lock = new Object();
    volatile Rendered latest;
    /** When it was last asked for (nanoTime), and the time before that; Long.MIN_VALUE: never. */
    volatile long askedAt = Long.MIN_VALUE;
    volatile long askedBefore = Long.MIN_VALUE;
    final AtomicInteger watchers = new AtomicInteger();
    long seq;

    Slot(ViewDesc view) {
      this.view = view;
    }
  }

  private final TopologyStore store;
  private final long maxAgeNanos;
  private final long refreshNanos;
  private final long keepWarmNanos;
  private final LongSupplier clock;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final List<Consumer<Rendered>> listeners = new CopyOnWriteArrayList<>();
  private final boolean background;
  private volatile ScheduledExecutorService renderer;
  private volatile boolean closed;
  private volatile long lastFailureLogged;

  private static final Logger LOG = LoggerFactory.getLogger(ViewService.class);
  private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** A service that renders views in use in the background (one daemon thread, started on first use). */
  public ViewService(TopologyStore store, TopologySettings settings) {
    this(store, settings, System::nanoTime, true);
  }

  /**
   * {@code background} false: nothing runs on its own, {@link #refresh} does one background round
   * (tests drive it with their own {@code clock}).
   */
  public ViewService(TopologyStore store, TopologySettings settings, LongSupplier clock, boolean background) {
    this.store = store;
    this.maxAgeNanos = settings.viewMaxAge().toNanos();
    this.refreshNanos = settings.viewRefreshInterval().toNanos();
    this.keepWarmNanos = settings.viewKeepWarm().toNanos();
    this.clock = clock;
    this.background = background;
    Views.REGISTRY.forEach(v -> slots.put(v.name(), new Slot(v)));
  }

  public TopologyStore store() {
    return store;
  }

  /**
   * The latest render of {@code view}, made now if there is none that is current or younger than
   * {@code view-max-age}. Marks the view as asked for: it is kept rendered in the background for
   * {@code view-keep-warm}.
   */
  public Rendered render(ViewDesc view) {
    Slot slot = slot(view);
    long now = clock.getAsLong();
    slot.askedBefore = slot.askedAt;
    slot.askedAt = now;
    startBackground();
    return current(slot);
  }

  /** As {@link #render} without marking the view as asked for (counts of every view, details of other views). */
  private Rendered peek(ViewDesc view) {
    return current(slot(view));
  }

  /** The latest render as it is, or null (streams poll this). */
  public Rendered latest(ViewDesc view) {
    return slot(view).latest;
  }

  /**
   * Keeps {@code view} rendered in the background until the returned handle is closed (a stream
   * watching it), from the next background round on.
   */
  public AutoCloseable watch(ViewDesc view) {
    Slot slot = slot(view);
    slot.watchers.incrementAndGet();
    startBackground();
    boolean[] closedOnce = {false};
    return () -> {
      synchronized (closedOnce) {
        if (!closedOnce[0]) {
          closedOnce[0] = true;
          slot.watchers.decrementAndGet();
        }
      }
    };
  }

  /** Called with every new render, on the thread that made it. */
  public void onRender(Consumer<Rendered> listener) {
    listeners.add(listener);
  }

  /** Whether {@code view} is in use (watched, or asked for often: see {@link #askedOften}). */
  public boolean inUse(ViewDesc view) {
    Slot slot = slot(view);
    return slot.watchers.get() > 0 || asked(slot, clock.getAsLong());
  }

  /**
   * Whether {@code view} is asked for often: its last two requests were less than
   * {@code view-keep-warm} apart and the last one is less than that ago. A view asked for now and
   * then (every 6 s on each node in the 3-node benchmark) is rendered on request instead: keeping
   * it rendered 4 times a second for a request every few seconds costs more than it saves.
   */
  public boolean askedOften(ViewDesc view) {
    return asked(slot(view), clock.getAsLong());
  }

  private boolean asked(Slot slot, long now) {
    long last = slot.askedAt;
    long before = slot.askedBefore;
    return last != Long.MIN_VALUE && before != Long.MIN_VALUE && now - last < keepWarmNanos
        && last - before < keepWarmNanos;
  }

  private Slot slot(ViewDesc view) {
    Slot slot = slots.get(view.name());
    if (slot == null) {
      throw new IllegalArgumentException("no view '" + view.name() + "'");
    }
    return slot;
  }

  private Rendered current(Slot slot) {
    Rendered last = slot.latest;
    if (fresh(last)) {
      return last;
    }
    synchronized (slot.lock) {
      last = slot.latest;
      if (fresh(last)) {
        return last; // made while this caller waited (by the background thread or another caller)
      }
      return renderNow(slot);
    }
  }

  private boolean fresh(Rendered r) {
    return r != null && (r.model().version() == store.version() || clock.getAsLong() - r.modelAtNanos() < maxAgeNanos);
  }

  /** Renders under the slot's lock. */
  private Rendered renderNow(Slot slot) {
    long at = clock.getAsLong();
    Model model = store.model();
    long start = System.nanoTime();
    Topology topology = slot.view.render().apply(model);
    Rendered next = new Rendered(slot.view, model, topology, at, System.nanoTime() - start, ++slot.seq);
    slot.latest = next;
    for (Consumer<Rendered> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        failed("a listener of view '" + slot.view.name() + "'", e); // its failure is its own; the render stands
      }
    }
    return next;
  }

  /**
   * One background round: every view in use whose latest render is not of the current model is
   * rendered again, views watched by streams first. Returns how many were rendered.
   */
  public int refresh() {
    long now = clock.getAsLong();
    List<Slot> due = new ArrayList<>();
    for (Slot slot : slots.values()) {
      if (slot.watchers.get() > 0) {
        due.add(slot);
      }
    }
    for (Slot slot : slots.values()) {
      if (slot.watchers.get() == 0 && asked(slot, now)) {
        due.add(slot);
      }
    }
    int rendered = 0;
    for (Slot slot : due) {
      if (closed) {
        break;
      }
      Rendered last = slot.latest;
      if (last != null && last.model().version() == store.version()) {
        continue;
      }
      synchronized (slot.lock) {
        last = slot.latest;
        // A caller may have rendered it a moment ago: not again before the interval is over.
        if (last != null && (last.model().version() == store.version()
            || clock.getAsLong() - last.modelAtNanos() < refreshNanos / 2)) {
          continue;
        }
        renderNow(slot);
        rendered++;
      }
    }
    return rendered;
  }

  /** Logs a failure, at most one a minute (a failure that repeats every round would flood the log). */
  private void failed(String what, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastFailureLogged;
    if (last == 0 || now - last > FAILURE_LOG_INTERVAL_NANOS) {
      lastFailureLogged = now;
      LOG.warn("{} failed (the next render tries again; further failures within a minute are not logged)", what, e);
    }
  }

  private void startBackground() {
    if (!background || renderer != null) {
      return;
    }
    synchronized (this) {
      if (renderer != null || closed) {
        return;
      }
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portolan-view-renderer");
        t.setDaemon(true);
        return t;
      });
      // Fixed rate: a round that took longer than the interval is followed at once by the next.
      s.scheduleAtFixedRate(() -> {
        try {
          refresh();
        } catch (RuntimeException e) {
          failed("a background render", e); // keep rendering: the next round tries again
        } catch (Error e) {
          // Not swallowed: background rendering stops here, and callers render for themselves from now on.
          LOG.error("Background rendering of views stopped; requests render views themselves from now on", e);
          throw e;
        }
      }, refreshNanos, refreshNanos, TimeUnit.NANOSECONDS);
      renderer = s;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (renderer != null) {
        renderer.shutdownNow();
      }
    }
  }

  public Topology topology(ViewDesc view, Filters filters) {
    return filters.apply(render(view).topology());
  }

  public List<ViewSummary> summaries() {
    Model model = store.model();
    return Views.REGISTRY.stream().filter(v -> v.shown().test(model)).map(v -> {
      Topology t = peek(v).topology();
      return new ViewSummary(v.name(), v.label(), v.nodeKind(), t.nodes().size(), t.edges().size());
    }).toList();
  }

  public Optional<NodeDetail> detail(ViewDesc view, String nodeId) {
    Rendered r = peek(view);
    return Details.detail(view, r.model(), r.topology(), nodeId);
  }

  public Search.Results search(String query, int limit) {
    return Search.run(store.model(), query, limit);
  }
}
