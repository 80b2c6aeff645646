package io.portolan.cluster.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.cluster.topology.HostStatus;
import io.portolan.cluster.topology.StoreAccess;
import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.topology.TopologyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The background rendering of {@link ViewService}, driven by hand ({@code refresh()} is one round of
 * the background thread) on a clock the test moves: which views are rendered, how often, and how
 * old an answer can be.
 */
class ViewServiceTest {

  static final long MS = 1_000_000L;
  static final TopologySettings SETTINGS = new TopologySettings(Duration.ofSeconds(15), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ofSeconds(5), Duration.ofMillis(250),
      Duration.ofMillis(300), 60, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMillis(250),
      Duration.ofSeconds(30));

  final AtomicLong now = new AtomicLong(1_000_000 * MS);
  final TopologyStore store = new TopologyStore();
  final ViewService views = new ViewService(store, SETTINGS, now::get, false);
  final List<ViewService.Rendered> seen = new ArrayList<>();
  final ViewDesc containers = Views.byName("containers").orElseThrow();
  final ViewDesc processes = Views.byName("processes").orElseThrow();
  int changes;

  @BeforeEach
  void fill() {
    StoreAccess.put(store, Fixtures.alpha());
    StoreAccess.put(store, Fixtures.beta());
    views.onRender(seen::add);
  }

  /** The model changes (beta's status flips), as it does every few milliseconds at scale. */
  void change() {
    changes++;
    StoreAccess.put(store, store.get("beta").withStatus(changes % 2 == 1 ? HostStatus.STALE : HostStatus.LIVE));
  }

  @Test
  void aViewNobodyUsesIsNeverRenderedInTheBackground() {
    for (int i = 0; i < 5; i++) {
      change();
      now.addAndGet(250 * MS);
      assertThat(views.refresh()).isZero();
    }
    assertThat(seen).isEmpty();
    assertThat(views.inUse(containers)).isFalse();
  }

  @Test
  void anAskedViewIsRenderedEveryRoundWhileTheModelChangesAndUntilKeepWarmRunsOut() {
    ViewService.Rendered first = views.render(containers);
    assertThat(views.inUse(containers)).as("asked once: rendered on request only").isFalse();
    now.addAndGet(1_000 * MS);
    assertThat(views.render(containers)).isSameAs(first); // nothing changed
    assertThat(views.inUse(containers)).as("asked twice within keep-warm").isTrue();
    assertThat(seen).hasSize(1);
    // nothing changed: no render
    now.addAndGet(250 * MS);
    assertThat(views.refresh()).isZero();
    // a change per round: a render per round, of the current model, seen by the listeners
    for (int i = 0; i < 4; i++) {
      change();
      now.addAndGet(250 * MS);
      assertThat(views.refresh()).isEqualTo(1);
      assertThat(views.latest(containers).model().version()).isEqualTo(store.version());
    }
    assertThat(seen).hasSize(5).extracting(ViewService.Rendered::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    // requests further apart than keep-warm: rendered on request, not in the background
    now.addAndGet(31_000 * MS);
    views.render(containers);
    now.addAndGet(31_000 * MS);
    views.render(containers);
    change();
    now.addAndGet(250 * MS);
    assertThat(views.inUse(containers)).isFalse();
    assertThat(views.refresh()).isZero();
    views.render(containers); // and again soon: in use
    assertThat(views.inUse(containers)).isTrue();
    assertThat(seen.get(0)).isSameAs(first);
    // the processes view was never asked for: not rendered alongside
    assertThat(seen).allMatch(r -> r.view() == containers);
  }

  @Test
  void aRequestGetsTheLatestRenderWhileItIsYoungerThanMaxAgeAndANewOneAfter() {
    ViewService.Rendered first = views.render(containers);
    change();
    now.addAndGet(200 * MS);
    // the model changed, but the render is 200 ms old (< 300 ms): shared, not made again
    assertThat(views.render(containers)).isSameAs(first);
    now.addAndGet(150 * MS);
    // 350 ms: too old while the model changed: rendered on the caller's thread
    ViewService.Rendered second = views.render(containers);
    assertThat(second).isNotSameAs(first);
    assertThat(second.model().version()).isEqualTo(store.version());
    // a render of the current model is answered however old it is
    now.addAndGet(10_000 * MS);
    assertThat(views.render(containers)).isSameAs(second);
    assertThat(seen).hasSize(2);
  }

  @Test
  void aRoundRightAfterACallersRenderDoesNotRenderAgain() {
    views.render(containers);
    views.render(containers);
    change();
    now.addAndGet(400 * MS);
    ViewService.Rendered byCaller = views.render(containers); // too old: the caller rendered
    change();
    now.addAndGet(50 * MS);
    assertThat(views.refresh()).isZero(); // 50 ms after that render: wait for the next round
    assertThat(views.latest(containers)).isSameAs(byCaller);
    now.addAndGet(250 * MS);
    assertThat(views.refresh()).isEqualTo(1);
  }

  @Test
  void aWatchedViewIsRenderedUntilTheWatcherLeavesWatchedViewsFirst() throws Exception {
    views.render(processes); // asked for often
    views.render(processes);
    AutoCloseable watching = views.watch(containers);
    change();
    now.addAndGet(250 * MS);
    assertThat(views.refresh()).isEqualTo(2);
    // the watched view first, then the asked one
    assertThat(seen).extracting(r -> r.view().name()).containsExactly("processes", "containers", "processes");
    watching.close();
    watching.close(); // twice is once
    now.addAndGet(31_000 * MS);
    change();
    assertThat(views.refresh()).isZero();
    assertThat(views.inUse(containers)).isFalse();
    // a second watcher keeps it in use after the first leaves
    AutoCloseable a = views.watch(containers);
    AutoCloseable b = views.watch(containers);
    a.close();
    assertThat(views.inUse(containers)).isTrue();
    b.close();
    assertThat(views.inUse(containers)).isFalse();
  }

  @Test
  void theBackgroundRenderIsTheSameAsARenderOfTheSameModel() {
    views.render(containers);
    views.render(containers);
    for (int i = 0; i < 3; i++) {
      change();
      now.addAndGet(250 * MS);
      views.refresh();
      ViewService.Rendered r = views.latest(containers);
      assertThat(r.topology()).isEqualTo(Renderers.containers(store.model()));
      assertThat(r.model().hosts()).isEqualTo(store.model().hosts());
    }
  }

  @Test
  void countsAndDetailsDoNotKeepAViewInUse() {
    views.summaries();
    views.detail(containers, "container:web0000000000000000000001");
    assertThat(views.inUse(containers)).isFalse();
    assertThat(views.inUse(processes)).isFalse();
    change();
    now.addAndGet(250 * MS);
    assertThat(views.refresh()).isZero();
  }

  @Test
  void theBackgroundThreadRendersAViewInUseOnItsOwn() throws Exception {
    try (ViewService live = new ViewService(store, SETTINGS)) {
      List<ViewService.Rendered> made = new java.util.concurrent.CopyOnWriteArrayList<>();
      live.onRender(made::add);
      live.render(containers);
      live.render(containers);
      change();
      long deadline = System.nanoTime() + 5_000 * MS;
      while (made.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(made).hasSizeGreaterThanOrEqualTo(2);
      assertThat(made.get(made.size() - 1).model().version()).isEqualTo(store.version());
      assertThat(made.get(1).modelAtNanos() - made.get(0).modelAtNanos()).isGreaterThanOrEqualTo(100 * MS);
    }
  }
}
