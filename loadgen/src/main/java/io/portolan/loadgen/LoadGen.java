package io.portolan.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Simulates N agents against a Portolan cluster for a bounded time, then prints ingest rate, view
 * render latency, report-to-WebSocket-delta latency and memory per host, and stops by itself.
 * <pre>
 * java -cp ... io.portolan.loadgen.LoadGen --nodes http://127.0.0.1:4040,http://127.0.0.1:4041 \
 *     --hosts 1000 --profile default --duration 120s --warmup 30s --token $PORTOLAN_AGENT_TOKEN \
 *     --api-token $PORTOLAN_API_TOKEN \
 *     [--markdown loadgen/results.md]
 * </pre>
 * Agents are spread round-robin over the nodes and connect during the first ramp-up seconds.
 */
public final class LoadGen {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Options(List<URI> nodes, int hosts, Profile profile, Duration duration, Duration warmup, Duration rampUp,
      String token, String apiToken, Path markdown, int maxHosts, boolean sharedClient, boolean warmViews) {}

  /**
   * One timed GET of a view: what this process measured (send to the last body byte) and what the
   * node's {@code Server-Timing} says it spent ({@code request}: routing, authentication, render and
   * encoding; {@code render}, {@code json}, {@code age} of the render; NaN when absent), and how
   * long this JVM was stalled during the request.
   */
  record Sample(String view, URI node, java.time.LocalTime at, long clientMicros, double serverMs, double renderMs,
      double jsonMs, double ageMs, long stalledMicros, int bytes) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    int code = new LoadGen().run(o);
    System.exit(code);
  }

  static Options parse(String[] args) {
    List<URI> nodes = List.of(URI.create("http://127.0.0.1:4040"));
    int hosts = 100;
    Profile profile = Profile.DEFAULT;
    Duration duration = Duration.ofSeconds(60);
    Duration warmup = Duration.ofSeconds(20);
    Duration rampUp = Duration.ofSeconds(10);
    String token = System.getenv("PORTOLAN_AGENT_TOKEN");
    // The views and stats need a user: an API token of a viewer (an admin for /api/admin/stats).
    String apiToken = System.getenv("PORTOLAN_API_TOKEN");
    Path markdown = null;
    boolean sharedClient = false;
    boolean warmViews = true;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--nodes" -> nodes = java.util.Arrays.stream(value.split(",")).map(String::trim).map(URI::create).toList();
        case "--hosts" -> hosts = Integer.parseInt(value);
        case "--profile" -> profile = Profile.named(value);
        case "--duration" -> duration = duration(value);
        case "--warmup" -> warmup = duration(value);
        case "--rampup" -> rampUp = duration(value);
        case "--token" -> token = value;
        case "--api-token" -> apiToken = value;
        case "--markdown" -> markdown = Path.of(value);
        case "--warm-views" -> warmViews = switch (value) {
          case "yes" -> true;
          case "no" -> false;
          default -> throw new IllegalArgumentException("--warm-views is yes (default) or no");
        };
        case "--measure-client" -> sharedClient = switch (value) {
          case "shared" -> true;
          case "dedicated" -> false;
          default -> throw new IllegalArgumentException("--measure-client is dedicated (default) or shared");
        };
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --nodes --hosts --profile --duration --warmup --rampup --token --api-token --markdown"
            + " --measure-client --warm-views");
      }
    }
    if (hosts < 1 || hosts > 20_000) {
      throw new IllegalArgumentException("--hosts must be 1..20000");
    }
    if (duration.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException("--duration is bounded to 30m");
    }
    return new Options(nodes, hosts, profile, duration, warmup, rampUp, token, apiToken, markdown, 20_000,
        sharedClient, warmViews);
  }

  private static Duration duration(String s) {
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s));
  }

  int run(Options o) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "loadgen");
      t.setDaemon(true);
      return t;
    });
    SimAgent.Counters counters = new SimAgent.Counters();
    List<SimAgent> agents = new ArrayList<>();
    System.out.printf(Locale.ROOT, "loadgen: %d hosts (%s: %d containers, %d processes, %d connection endpoints,"
            + " report every %d ms, full every %d) against %s for %s after %s warm-up%n",
        o.hosts(), o.profile().name(), o.profile().containers(), o.profile().processes(),
        o.profile().connectionEndpoints(), o.profile().reportEvery().toMillis(), o.profile().fullEvery(), o.nodes(),
        o.duration(), o.warmup());
    List<JsonNode> before = stats(http, o.nodes(), true, o.apiToken());

    long rampMillis = o.rampUp().toMillis();
    for (int i = 0; i < o.hosts(); i++) {
      SimAgent agent = new SimAgent(new SimHost(i, o.hosts(), o.profile()), o.nodes(), i, o.token(), http, scheduler,
          counters);
      agents.add(agent);
      long delay = rampMillis * i / o.hosts();
      scheduler.schedule(() -> agent.start(o.profile(), Duration.ofMillis(
          ThreadLocalRandom.current().nextLong(o.profile().reportEvery().toMillis()))), delay, TimeUnit.MILLISECONDS);
    }
    System.out.printf("loadgen: %d entries per host%n", agents.get(0).host().entryCount());
    Thread.sleep(o.rampUp().toMillis());
    long warmupEnd = System.nanoTime() + o.warmup().toNanos();

    // The view GETs are timed on this thread with their own HTTP/1.1 client (its own selector thread
    // and executor, one kept-alive connection per node, opened before the window), not on the client
    // that carries the agents' 200+ WebSockets (--measure-client shared: as before 2026-12-03 12:00).
    HttpClient measuring = o.sharedClient() ? http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "measuring-http");
          t.setDaemon(true);
          return t;
        })).build();
    // The first GET of each view on each node after the ramp-up (no one asked for a view before):
    // the render and JSON code runs for the first time (interpreted, then compiled by the JIT).
    StringBuilder cold = new StringBuilder();
    for (URI node : o.nodes()) {
      for (String view : List.of("containers", "processes")) {
        long s = System.nanoTime();
        HttpResponse<byte[]> r = measuring.send(api(node.resolve("/api/topology/" + view), o.apiToken())
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        cold.append(String.format(Locale.ROOT, " %s %s %.0f ms (server %s ms);", node.getAuthority(), view,
            (System.nanoTime() - s) / 1e6, ServerTiming.parse(r.headers().allValues("Server-Timing")).get("request")));
      }
    }
    System.out.println("loadgen: first view requests after start (cold):" + cold);
    System.out.println("loadgen: view requests timed with " + (o.sharedClient()
        ? "the agents' HTTP client (shared)" : "their own HTTP/1.1 client (dedicated), connections opened"));

    // The browser stand-in subscribes at the start of the warm-up, so that its node renders the
    // stream during the warm-up as in the measured window.
    DeltaWatcher watcher = new DeltaWatcher();
    try {
      watcher.connect(http, o.nodes().get(o.nodes().size() - 1), "containers", o.apiToken());
    } catch (RuntimeException e) {
      System.out.println("loadgen: the topology WebSocket did not open (" + e.getMessage() + "): no delta latency");
    }
    // Warm-up: the same view GETs at the same pace as in the measured window, not recorded, so that
    // the window measures the steady state and not the JIT's first compilations (--warm-views no:
    // as before 2026-12-03 12:00, when the views were first requested inside the window).
    int warmRound = 0;
    while (o.warmViews() && System.nanoTime() < warmupEnd) {
      long s = System.nanoTime();
      URI node = o.nodes().get(warmRound % o.nodes().size());
      String view = warmRound++ % 2 == 0 ? "containers" : "processes";
      measuring.send(api(node.resolve("/api/topology/" + view), o.apiToken()).timeout(Duration.ofSeconds(30)).GET()
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      Thread.sleep(Math.min(Math.max(0, 1000 - (System.nanoTime() - s) / 1_000_000),
          Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000)));
    }
    Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
    System.out.println("loadgen: warm-up done (" + warmRound + " view requests, not recorded)");

    // ---- measured phase ----
    Hiccups hiccups = new Hiccups(5_000).start();
    List<JsonNode> start = stats(http, o.nodes(), false, o.apiToken());
    long sentAtStart = counters.reportsSent.get();
    long bytesAtStart = counters.bytesSent.get();
    long skippedAtStart = counters.skippedBusy.get();
    long t0 = System.nanoTime();
    List<Long> containersMicros = Collections.synchronizedList(new ArrayList<>());
    List<Long> processesMicros = Collections.synchronizedList(new ArrayList<>());
    List<Sample> viewSamples = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    int[] probeSeq = {0};
    List<Long> rssSamples = new ArrayList<>();
    long end = t0 + o.duration().toNanos();
    int round = 0;
    while (System.nanoTime() < end) {
      URI node = o.nodes().get(round % o.nodes().size());
      String view = round % 2 == 0 ? "containers" : "processes";
      HttpRequest request = api(node.resolve("/api/topology/" + view), o.apiToken())
          .timeout(Duration.ofSeconds(30)).GET().build();
      long s = System.nanoTime();
      HttpResponse<byte[]> r = measuring.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long e = System.nanoTime();
      long micros = (e - s) / 1000;
      if (r.statusCode() == 200) {
        (round % 2 == 0 ? containersMicros : processesMicros).add(micros);
        java.util.Map<String, Double> timing = ServerTiming.parse(r.headers().allValues("Server-Timing"));
        viewSamples.add(new Sample(view, node, java.time.LocalTime.now(java.time.ZoneOffset.UTC)
                .minusNanos(System.nanoTime() - s), micros, timing.getOrDefault("request", Double.NaN),
            timing.getOrDefault("render", Double.NaN), timing.getOrDefault("json", Double.NaN),
            timing.getOrDefault("age", Double.NaN), hiccups.overlapMicros(s, e), r.body().length));
      } else {
        failures.add(view + " " + r.statusCode());
      }
      // a latency probe on a random agent
      SimAgent agent = agents.get(ThreadLocalRandom.current().nextInt(agents.size()));
      String name = "probe-" + (++probeSeq[0]);
      agent.probe(name, nanos -> watcher.sent(name, nanos));
      round++;
      if (round % 10 == 0) {
        List<JsonNode> now = stats(http, o.nodes(), false, o.apiToken());
        long rss = now.stream().mapToLong(n -> n.at("/memory/rssBytes").asLong()).sum();
        rssSamples.add(rss);
        System.out.printf(Locale.ROOT, "  t=%3.0fs sent=%d accepted=%d rssTotal=%.0f MiB heapUsed=%.0f MiB%n",
            (System.nanoTime() - t0) / 1e9, counters.reportsSent.get() - sentAtStart,
            sum(now, "/ingest/reports") - sum(start, "/ingest/reports"), rss / 1048576.0,
            sum(now, "/memory/heapUsedBytes") / 1048576.0);
      }
      long spent = (System.nanoTime() - s) / 1_000_000;
      Thread.sleep(Math.max(0, 1000 - spent));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    hiccups.close();
    List<JsonNode> stop = stats(http, o.nodes(), false, o.apiToken());
    long sent = counters.reportsSent.get() - sentAtStart;
    long bytes = counters.bytesSent.get() - bytesAtStart;
    long skipped = counters.skippedBusy.get() - skippedAtStart;
    long samples = sum(stop, "/ingest/samples") - sum(start, "/ingest/samples");
    long entries = sum(stop, "/ingest/entries") - sum(start, "/ingest/entries");
    int[] hostsSeen = stop.stream().mapToInt(n -> n.at("/readModel/hosts").asInt()).toArray();
    List<Boolean> viewNode = stop.stream().map(n -> n.at("/readModel/viewNode").asBoolean(true)).toList();

    for (SimAgent a : agents) {
      a.stop();
    }
    watcher.close();
    scheduler.shutdownNow();
    Thread.sleep(2000); // let in-flight reports land before counting
    // Over the whole run (ramp-up included): every report sent vs accepted by the nodes.
    List<JsonNode> settled = stats(http, o.nodes(), false, o.apiToken());
    long sentTotal = counters.reportsSent.get();
    long acceptedTotal = sum(settled, "/ingest/reports") - sum(before, "/ingest/reports");
    long rejected = sum(settled, "/ingest/rejected") - sum(before, "/ingest/rejected");
    List<JsonNode> after = stats(http, o.nodes(), true, o.apiToken());
    long heapLoaded = sum(after, "/memory/heapUsedBytes");
    long heapEmpty = sum(before, "/memory/heapUsedBytes");
    long rssEnd = sum(after, "/memory/rssBytes");

    List<Long> lat = watcher.latenciesMicros();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "### %d hosts, profile %s, %s%n%n", o.hosts(), o.profile().name(), Instant.now()));
    out.append(String.format(Locale.ROOT, "- measured %.0f s after %d s ramp-up + %d s warm-up; nodes %s%n", seconds,
        o.rampUp().toSeconds(), o.warmup().toSeconds(), o.nodes()));
    out.append(String.format(Locale.ROOT, "- reports in the measured window: %d (%.0f/s, %.1f MB/s); whole run: sent %d,"
            + " accepted %d (%.2f%%), rejected %d; ticks skipped because the previous send was still pending %d%n",
        sent, sent / seconds, bytes / seconds / 1e6, sentTotal, acceptedTotal,
        sentTotal == 0 ? 0 : 100.0 * acceptedTotal / sentTotal, rejected, skipped));
    out.append(String.format(Locale.ROOT, "- ingest: %.0f entries/s, %.0f metric samples/s%n", entries / seconds,
        samples / seconds));
    out.append(String.format(Locale.ROOT, "- hosts in each node's read model at the end: %s (expected %d on each"
            + " view node; view node: %s, the others forward)%n",
        java.util.Arrays.toString(hostsSeen), o.hosts(), viewNode));
    out.append(String.format(Locale.ROOT, "- GET /api/topology/containers: n=%d p50 %s p95 %s p99 %s%n",
        containersMicros.size(), ms(containersMicros, 50), ms(containersMicros, 95), ms(containersMicros, 99)));
    out.append(String.format(Locale.ROOT, "- GET /api/topology/processes: n=%d p50 %s p95 %s p99 %s%n",
        processesMicros.size(), ms(processesMicros, 50), ms(processesMicros, 95), ms(processesMicros, 99)));
    for (String view : List.of("containers", "processes")) {
      out.append(breakdown(view, viewSamples.stream().filter(x -> x.view().equals(view)).toList()));
    }
    List<Long> stallMicros = hiccups.micros();
    out.append(String.format(Locale.ROOT, "- load generator JVM in the measured window: %d GCs, %d ms in GC; stalls of"
            + " a 1 ms sleep by 5 ms or more: %d (p50 %s, max %s); view requests were timed with %s%n",
        hiccups.gcCountSinceStart(), hiccups.gcMillisSinceStart(), stallMicros.size(), ms(stallMicros, 50),
        ms(stallMicros, 100), o.sharedClient() ? "the agents' HTTP client (shared)" : "a dedicated HTTP/1.1 client"));
    out.append(String.format(Locale.ROOT, "- report -> WebSocket delta (containers view): n=%d (of %d probes) p50 %s"
            + " p95 %s max %s%n", lat.size(), probeSeq[0], ms(lat, 50), ms(lat, 95), ms(lat, 100)));
    out.append(String.format(Locale.ROOT, "- memory: heap after GC %.0f MiB loaded vs %.0f MiB empty (all nodes) ="
            + " %.1f KiB per host per node; RSS at the end %.0f MiB (all nodes); RSS samples (MiB) %s%n",
        heapLoaded / 1048576.0, heapEmpty / 1048576.0,
        (heapLoaded - heapEmpty) / 1024.0 / o.hosts() / o.nodes().size(), rssEnd / 1048576.0,
        rssSamples.stream().map(x -> Long.toString(x / 1048576)).toList()));
    if (!failures.isEmpty()) {
      out.append("- failed view requests: ").append(failures.size()).append(' ').append(failures.subList(0,
          Math.min(5, failures.size()))).append('\n');
    }
    out.append(String.format(Locale.ROOT, "- agent reconnects %d, full reports requested by the cluster %d%n",
        counters.connects.get() - o.hosts(), counters.fullRequested.get()));
    System.out.println(out);
    if (o.markdown() != null) {
      Files.writeString(o.markdown(), out + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return 0;
  }

  /**
   * The server's share of a view's GETs: percentiles of the node's own {@code request} time and of
   * what the client measured beyond it (network, HTTP parsing and writing outside the route, the
   * client), and the five slowest requests taken apart.
   */
  static String breakdown(String view, List<Sample> samples) {
    if (samples.isEmpty()) {
      return "";
    }
    List<Long> server = samples.stream().filter(x -> !Double.isNaN(x.serverMs()))
        .map(x -> Math.round(x.serverMs() * 1000)).toList();
    List<Long> outside = samples.stream().filter(x -> !Double.isNaN(x.serverMs()))
        .map(x -> Math.max(0, x.clientMicros() - Math.round(x.serverMs() * 1000))).toList();
    List<Long> render = samples.stream().filter(x -> !Double.isNaN(x.renderMs()))
        .map(x -> Math.round(x.renderMs() * 1000)).toList();
    List<Long> json = samples.stream().filter(x -> !Double.isNaN(x.jsonMs()))
        .map(x -> Math.round(x.jsonMs() * 1000)).toList();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "  - %s, server side (Server-Timing): request p50 %s p95 %s max %s; of it render p50 %s p95 %s, json p50 %s"
            + " p95 %s; client minus server p50 %s p95 %s max %s; body %d KiB%n",
        view, ms(server, 50), ms(server, 95), ms(server, 100), ms(render, 50), ms(render, 95), ms(json, 50),
        ms(json, 95), ms(outside, 50), ms(outside, 95), ms(outside, 100),
        samples.get(samples.size() - 1).bytes() / 1024));
    samples.stream().sorted(java.util.Comparator.comparingLong(Sample::clientMicros).reversed()).limit(5)
        .forEach(x -> out.append(String.format(Locale.ROOT,
            "    - slow: %s UTC %s client %.0f ms, server %.1f (render %.1f, json %.1f, render age %.0f) ms,"
                + " load generator stalled %.0f ms during it%n",
            x.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), x.node().getAuthority(), x.clientMicros() / 1000.0, x.serverMs(), x.renderMs(),
            x.jsonMs(), x.ageMs(), x.stalledMicros() / 1000.0)));
    return out.toString();
  }

  /** A request to the API with the bearer token, when there is one. */
  private static HttpRequest.Builder api(URI uri, String apiToken) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    return apiToken == null || apiToken.isBlank() ? builder : builder.header("Authorization", "Bearer " + apiToken);
  }

  private static List<JsonNode> stats(HttpClient http, List<URI> nodes, boolean gc, String apiToken) {
    List<JsonNode> out = new ArrayList<>();
    for (URI node : nodes) {
      try {
        HttpResponse<String> r = http.send(api(node.resolve("/api/admin/stats" + (gc ? "?gc=true" : "")), apiToken)
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        out.add(JSON.readTree(r.body()));
      } catch (IOException | InterruptedException e) {
        out.add(JSON.createObjectNode());
      }
    }
    return out;
  }

  private static long sum(List<JsonNode> stats, String pointer) {
    return stats.stream().mapToLong(n -> n.at(pointer).asLong()).sum();
  }

  static String ms(List<Long> micros, int percentile) {
    if (micros.isEmpty()) {
      return "n/a";
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return String.format(Locale.ROOT, "%.0f ms", sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0);
  }
}
