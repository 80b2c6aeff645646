package io.portolan.node.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.portolan.protocol.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link DockerPort} on the Engine's HTTP API through docker-java's zerodep transport. Raw JSON rather
 * than docker-java's command objects: one-shot stats ({@code one-shot=true}, API 1.41+) are not in its
 * command model, and a tree read tolerates fields that newer engines add or drop.
 */
public final class DockerHttpPort implements DockerPort {

  private static final Set<String> ACTIONS = Set.of("start", "stop", "restart", "pause", "unpause", "remove");
  private final DockerHttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public DockerHttpPort(DockerHttpClient http) {
    this.http = http;
  }

  public static DockerHttpPort create(DockerSettings settings) {
    return new DockerHttpPort(DockerClients.createHttp(settings));
  }

  @Override
  public List<String> containerIds() {
    JsonNode list = get("/containers/json?all=true").orElseThrow(() -> new IllegalStateException("no container list"));
    List<String> ids = new ArrayList<>();
    list.forEach(c -> ids.add(c.path("Id").asText()));
    return ids;
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Integer> pids = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public Optional<Payload.Container> inspect(String id) {
    Optional<JsonNode> json = get("/containers/" + enc(id) + "/json");
    if (json.isEmpty()) {
      pids.remove(id);
      return Optional.empty();
    }
    Payload.Container c = toContainer(json.get());
    pids.put(c.id(), json.get().path("State").path("Pid").asInt(0));
    return Optional.of(c);
  }

  @Override
  public int pidOf(String id) {
    return pids.getOrDefault(id, 0);
  }

  @Override
  public Optional<ContainerStats> stats(String id) {
    return get("/containers/" + enc(id) + "/stats?stream=false&one-shot=true").flatMap(DockerHttpPort::toStats);
  }

  @Override
  public AutoCloseable events(Consumer<Event> onEvent, Consumer<Throwable> onEnd) {
    String filters = enc("{\"type\":[\"container\"]}");
    DockerHttpClient.Response response;
    try {
      response = http.execute(request(DockerHttpClient.Request.Method.GET, "/events?filters=" + filters));
    } catch (RuntimeException e) {
      onEnd.accept(e);
      return () -> { };
    }
    if (response.getStatusCode() != 200) {
      response.close();
      onEnd.accept(new IllegalStateException("GET /events answered " + response.getStatusCode()));
      return () -> { };
    }
    AtomicBoolean closed = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      Throwable end = null;
      try (InputStream body = response.getBody();
          JsonParser parser = json.getFactory().createParser(body);
          MappingIterator<JsonNode> it = json.readValues(parser, JsonNode.class)) {
        while (it.hasNextValue()) {
          JsonNode e = it.nextValue();
          String cid = e.path("Actor").path("ID").asText(e.path("id").asText(""));
          if (!cid.isEmpty()) {
            onEvent.accept(new Event(cid, e.path("Action").asText(e.path("status").asText("")),
                e.path("timeNano").asLong(e.path("time").asLong() * 1_000_000_000L)));
          }
        }
      } catch (Throwable t) {
        end = t;
      } finally {
        response.close();
        onEnd.accept(closed.get() ? null : end == null ? new IllegalStateException("docker event stream ended") : end);
      }
    }, "portolan-docker-events");
    reader.setDaemon(true);
    reader.start();
    return () -> {
      closed.set(true);
      response.close();
    };
  }

  @Override
  public void control(String id, String action, Map<String, String> args) {
    if (!ACTIONS.contains(action)) {
      throw new IllegalArgumentException("unknown container action '" + action + "'; one of " + ACTIONS);
    }
    String path;
    DockerHttpClient.Request.Method method = DockerHttpClient.Request.Method.POST;
    if (action.equals("remove")) {
      method = DockerHttpClient.Request.Method.DELETE;
      path = "/containers/" + enc(id) + "?force=" + Boolean.parseBoolean(args.getOrDefault("force", "false"))
          + "&v=" + Boolean.parseBoolean(args.getOrDefault("volumes", "false"));
    } else if (action.equals("stop") || action.equals("restart")) {
      path = "/containers/" + enc(id) + "/" + action + "?t=" + Integer.parseInt(args.getOrDefault("timeout", "10"));
    } else {
      path = "/containers/" + enc(id) + "/" + action;
    }
    try (DockerHttpClient.Response r = http.execute(request(method, path))) {
      int code = r.getStatusCode();
      if (code >= 300 && code != 304) {
        String body = new String(readAll(r.getBody()), StandardCharsets.UTF_8);
        String message = body;
        try {
          message = json.readTree(body).path("message").asText(body);
        } catch (IOException ignored) {
          // not JSON: keep the text
        }
        throw new IllegalStateException(action + " " + id + ": engine answered " + code + ": " + message.strip());
      }
    }
  }

  @Override
  public Optional<ContainerStreams> streams() {
    return Optional.of(new ContainerStreams(http));
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<JsonNode> get(String path) {
    try (DockerHttpClient.Response r = http.execute(request(DockerHttpClient.Request.Method.GET, path))) {
      if (r.getStatusCode() == 404 || r.getStatusCode() == 409) {
        return Optional.empty();
      }
      byte[] body = readAll(r.getBody());
      if (r.getStatusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + r.getStatusCode() + ": "
            + new String(body, StandardCharsets.UTF_8).strip());
      }
      return Optional.of(json.readTree(body));
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path, e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DockerHttpClient.Request request(DockerHttpClient.Request.Method method, String path) {
    return DockerHttpClient.Request.builder().method(method).path(path).build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ---- mapping ------------------------------------------------------------------------------------

  static Payload.Container toContainer(JsonNode c) {
    JsonNode config = c.path("Config");
    JsonNode state = c.path("State");
    JsonNode host = c.path("HostConfig");
    JsonNode net = c.path("NetworkSettings");

    Map<String, String> labels = new LinkedHashMap<>();
    config.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    Map<String, String> env = new LinkedHashMap<>();
    config.path("Env").forEach(v -> {
      String kv = v.asText();
      int eq = kv.indexOf('=');
      env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    });
    List<Payload.Port> ports = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> pit = net.path("Ports").fields();
    while (pit.hasNext()) {
      Map.Entry<String, JsonNode> p = pit.next();
      String[] portProto = p.getKey().split("/");
      int priv = parseInt(portProto[0]);
      String proto = portProto.length > 1 ? portProto[1] : "tcp";
      if (p.getValue().isArray() && p.getValue().size() > 0) {
        p.getValue().forEach(b -> ports.add(new Payload.Port(b.path("HostIp").asText(""), priv,
            parseInt(b.path("HostPort").asText("0")), proto)));
      } else {
        ports.add(new Payload.Port("", priv, 0, proto));
      }
    }
    List<String> mounts = new ArrayList<>();
    c.path("Mounts").forEach(m -> mounts.add(m.path("Type").asText("") + ":" + m.path("Source").asText("")
        + ":" + m.path("Destination").asText("") + (m.path("RW").asBoolean(true) ? "" : ":ro")));
    Map<String, String> networks = new LinkedHashMap<>();
    net.path("Networks").fields().forEachRemaining(e -> networks.put(e.getKey(), e.getValue().path("IPAddress").asText("")));

    double cpuLimit = host.path("NanoCpus").asLong(0) / 1e9;
    long quota = host.path("CpuQuota").asLong(0);
    long period = host.path("CpuPeriod").asLong(0);
    if (cpuLimit == 0 && quota > 0 && period > 0) {
      cpuLimit = (double) quota / period;
    }
    String name = c.path("Name").asText("");
    return new Payload.Container(
        c.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        config.path("Image").asText(""),
        c.path("Image").asText(""),
        state.path("Status").asText("unknown"),
        epochMillis(c.path("Created").asText("")),
        epochMillis(state.path("StartedAt").asText("")),
        labels,
        env,
        ports,
        mounts,
        networks,
        host.path("NetworkMode").asText(""),
        c.path("RestartCount").asInt(0),
        state.path("Health").path("Status").asText(""),
        host.path("Memory").asLong(0),
        cpuLimit);
  }

  static Optional<ContainerStats> toStats(JsonNode s) {
    JsonNode cpu = s.path("cpu_stats");
    if (cpu.path("system_cpu_usage").isMissingNode()) {
      return Optional.empty(); // not running: the engine answers with zeros and no system usage
    }
    JsonNode mem = s.path("memory_stats");
    long usage = mem.path("usage").asLong(0);
    // As the docker CLI does: cgroup v1 subtracts total_inactive_file (cache), v2 inactive_file.
    JsonNode ms = mem.path("stats");
    long inactive = ms.has("total_inactive_file") ? ms.path("total_inactive_file").asLong(0)
        : ms.path("inactive_file").asLong(0);
    long rx = 0;
    long tx = 0;
    for (JsonNode n : s.path("networks")) {
      rx += n.path("rx_bytes").asLong(0);
      tx += n.path("tx_bytes").asLong(0);
    }
    long read = 0;
    long write = 0;
    for (JsonNode b : s.path("blkio_stats").path("io_service_bytes_recursive")) {
      String op = b.path("op").asText("").toLowerCase();
      if (op.equals("read")) {
        read += b.path("value").asLong(0);
      } else if (op.equals("write")) {
        write += b.path("value").asLong(0);
      }
    }
    int online = cpu.path("online_cpus").asInt(0);
    if (online == 0) {
      online = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
    }
    return Optional.of(new ContainerStats(
        cpu.path("cpu_usage").path("total_usage").asLong(0),
        cpu.path("system_cpu_usage").asLong(0),
        online,
        Math.max(0, usage - inactive),
        mem.path("limit").asLong(0),
        rx, tx, read, write,
        s.path("pids_stats").path("current").asLong(0),
        epochMillis(s.path("read").asText(""))));
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** ISO-8601 from the engine; the zero time ("0001-01-01T00:00:00Z") and garbage read as 0. */
  static long epochMillis(String iso) {
    if (iso.isEmpty() || iso.startsWith("0001-")) {
      return 0;
    }
    try {
      return Instant.parse(iso).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
