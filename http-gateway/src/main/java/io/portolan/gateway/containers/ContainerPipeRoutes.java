package io.portolan.gateway.containers;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.cluster.access.Role;
import io.portolan.cluster.topology.HostEntity;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.auth.AuthDirectives;
import io.portolan.gateway.auth.Principal;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.ErrorMapper;
import io.portolan.gateway.http.ForbiddenException;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.gateway.pipes.LogLines;
import io.portolan.gateway.pipes.PipeSession;
import io.portolan.gateway.pipes.PipeStreams;
import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Logs, exec terminals, inspect, environment and the file browser of a container, and a shell on a
 * host, all streamed through a pipe to the agent of the host (see {@link PipeStreams}; credit-based
 * flow control end to end, at most {@link PipeStreams#WINDOW} chunks of 32 KiB buffered per client).
 * {@code {id}} is resolved as for controls (full id, unique prefix or name).
 * <pre>
 * GET /api/containers/{id}/logs/ws?follow=true&amp;tail=N&amp;since=&amp;timestamps=true     operator, audited
 *     WebSocket, server → client only: each text frame holds one or more lines separated by "\n"
 *     (the lines of one agent chunk, so a fast log costs a frame per 20 ms, not per line), each line
 *       {"stream":"stdout"|"stderr","line":"...","ts":"2024-05-01T10:00:00.123456789Z"}
 *     ("ts" only with timestamps=true). When the stream ends (follow=false, the container stopped,
 *     the agent left) a last frame {"type":"end","message":"..."} and a normal close.
 * GET /api/containers/{id}/logs?tail=&amp;since=&amp;timestamps=                           operator, audited
 *     the log as text/plain attachment (stdout and stderr interleaved as the engine gives them)
 * GET /api/containers/{id}/exec/ws?cmd=sh[&amp;cols=C&amp;rows=R]                          operator, audited
 *     WebSocket TTY. Client → server: binary or text frames are input; the text frame
 *     {"type":"resize","cols":C,"rows":R} resizes. Server → client: binary frames of output; at the
 *     end one text frame {"type":"exit","code":N} (code null and "error" set when it failed to run),
 *     then a normal close. Closing the socket ends the exec (its process is killed).
 * GET /api/containers/{id}/inspect[?unmasked=true]       operator, audited: the engine's inspect document
 * GET /api/containers/{id}/env[?unmasked=true]           operator, audited: {"env":[{"name","value","masked"}],"unmasked"}
 *     secret-looking values (PASSWORD, SECRET, TOKEN, KEY) are "****" unless an admin asks unmasked=true
 * GET /api/containers/{id}/files?path=/etc               operator, audited: {"path","directory","entries":[{"name",
 *     "type":"dir|file|link|other","size","mode","modified","linkTarget"}],"truncated"}
 * GET /api/containers/{id}/files/download?path=/etc/passwd   operator, audited: the file as an attachment
 * GET /api/hosts/{hostId}/exec/ws[?cmd=/bin/sh]          admin, audited; same wire format as the container
 *     exec. "Host exec" is its own permission: the admin role here, and the agent's opt-in
 *     (--allow-host-exec or PORTOLAN_AGENT_HOST_EXEC=true); for an agent without it the upgrade gets a 403 with
 *     the reason (the agent's Hello lists its capabilities), and an agent that did not say refuses the
 *     opened session itself with an exit frame carrying the same reason
 * </pre>
 */
public final class ContainerPipeRoutes extends AllDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final List<ApiEndpoint> ENDPOINTS = List.of(
      ApiEndpoint.get("/api/containers/{id}/logs/ws"),
      ApiEndpoint.get("/api/containers/{id}/logs"),
      ApiEndpoint.get("/api/containers/{id}/exec/ws"),
      ApiEndpoint.get("/api/containers/{id}/inspect"),
      ApiEndpoint.get("/api/containers/{id}/env"),
      ApiEndpoint.get("/api/containers/{id}/files"),
      ApiEndpoint.get("/api/containers/{id}/files/download"),
      ApiEndpoint.get("/api/hosts/{hostId}/exec/ws"));

  private static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
  private static final int MAX_INPUT_BYTES = 1024 * 1024;
  private static final Duration DOCUMENT_TIMEOUT = Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ContainerRoutes containers;
  private final AuthDirectives auth;
  private final AuditLog audit;
  private final Duration askTimeout;
  private final Materializer materializer;

  public ContainerPipeRoutes(ActorSystem<?> system, TopologyStore store, AuthDirectives auth, AuditLog audit,
      Duration askTimeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.containers = new ContainerRoutes(sharding, store, auth, audit, 0);
    this.auth = auth;
    this.audit = audit;
    this.askTimeout = askTimeout;
    this.materializer = Materializer.matFromSystem(system);
  }

  public Route routes() {
    return pathPrefix("api", () -> concat(
        pathPrefix("containers", () -> pathPrefix(PathMatchers.segment(), ref -> get(() -> concat(
            path(PathMatchers.segment("logs").slash("ws"), () -> operator(params -> logsWs(ref, params))),
            path("logs", () -> operator(params -> logsDownload(ref, params))),
            path(PathMatchers.segment("exec").slash("ws"), () -> operator(params -> execWs(ref, params))),
            path("inspect", () -> operator(params -> document(ref, "inspect", params))),
            path("env", () -> operator(params -> document(ref, "env", params))),
            path("files", () -> operator(params -> document(ref, "ls", params))),
            path(PathMatchers.segment("files").slash("download"), () -> operator(params -> fileDownload(ref,
                params))))))),
        path(PathMatchers.segment("hosts").slash(PathMatchers.segment()).slash("exec").slash("ws"), hostId ->
            get(() -> auth.authorized(Role.ADMIN, user -> parameterMap(params -> hostExecWs(user, hostId,
                params)))))));
  }

  private interface Handler {
    Route apply(Caller caller);
  }

  private record Caller(Principal user, Map<String, String> params) {}

  private Route operator(Handler handler) {
    return auth.authorized(Role.OPERATOR, user -> parameterMap(params -> handler.apply(new Caller(user, params))));
  }

  // ---- logs ------------------------------------------------------------------------------------

  private Route logsWs(String ref, Caller c) {
    Map<String, String> args = logArgs(c.params(), true);
    ContainerRoutes.Found found = containers.resolve(ref);
    boolean timestamps = Boolean.parseBoolean(args.get("timestamps"));
    return withLink(found.hostId(), link -> handleWebSocketMessages(deferred(() -> {
      audit.record(c.user().name(), "container.logs.open", target(found), "ok", logDetail(args) + "; host "
          + found.hostId(), "");
      PipeStreams.Opened pipe = PipeStreams.open(system, link, "logs", Keys.container(found.id()), args, e -> { });
      LogLines lines = new LogLines(timestamps);
      Source<Message, NotUsed> out = pipe.frames().mapConcat(m -> {
        List<Message> messages = new ArrayList<>(2);
        if (m instanceof AgentMessage.PipeData d) {
          String frame = linesJson(lines.add(d.stream(), d.bytes()));
          if (!frame.isEmpty()) {
            messages.add(TextMessage.create(frame));
          }
        } else if (m instanceof AgentMessage.PipeClosed closed) {
          String frame = linesJson(lines.flush());
          if (!frame.isEmpty()) {
            messages.add(TextMessage.create(frame));
          }
          messages.add(TextMessage.create(Json.MAPPER.writeValueAsString(Map.of("type", "end", "message",
              closed.error() == null ? "the log ended" : PipeStreams.message(closed.error())))));
        }
        return messages;
      });
      return Flow.fromSinkAndSourceCoupled(Sink.<Message>foreach(msg -> discard(msg)), out);
    })));
  }

  private Route logsDownload(String ref, Caller c) {
    Map<String, String> args = logArgs(c.params(), false);
    args.put("follow", "false");
    ContainerRoutes.Found found = containers.resolve(ref);
    return withLink(found.hostId(), link -> {
      PipeStreams.Opened pipe = PipeStreams.open(system, link, "logs", Keys.container(found.id()), args,
          closed -> audit.record(c.user().name(), "container.logs.download", target(found),
              closed.error() == null ? "ok" : "failed", logDetail(args) + "; " + (closed.error() == null
                  ? "host " + found.hostId() : closed.error()), ""));
      return attachment(pipe.frames(), found.name() + ".log", ContentTypes.TEXT_PLAIN_UTF8);
    });
  }

  private static String logDetail(Map<String, String> args) {
    return "follow=" + args.get("follow") + " tail=" + args.get("tail")
        + (args.containsKey("since") ? " since=" + args.get("since") : "") + " timestamps=" + args.get("timestamps");
  }

  private Map<String, String> logArgs(Map<String, String> params, boolean followDefault) {
    Map<String, String> args = new HashMap<>();
    args.put("follow", Boolean.toString(flag(params, "follow", followDefault)));
    args.put("timestamps", Boolean.toString(flag(params, "timestamps", false)));
    String tail = params.getOrDefault("tail", "all");
    if (!tail.equals("all")) {
      try {
        if (Integer.parseInt(tail) < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new BadRequestException("'tail' must be a number of lines (0 or more) or 'all'");
      }
    }
    args.put("tail", tail);
    String since = params.getOrDefault("since", "");
    if (!since.isEmpty()) {
      args.put("since", since(since));
    }
    return args;
  }

  /** Unix seconds (with a fraction) or an RFC 3339 time, as the engine's unix seconds. */
  static String since(String since) {
    if (since.matches("\\d{1,12}(\\.\\d{1,9})?")) {
      return since;
    }
    try {
      Instant at = Instant.parse(since);
      return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
    } catch (DateTimeParseException e) {
      throw new BadRequestException("'since' must be unix seconds or an RFC 3339 time such as 2024-05-01T10:00:00Z");
    }
  }

  /** Lines as one frame: a JSON object per line, separated by "\n" (JSON strings escape their own newlines). */
  static String linesJson(List<LogLines.Line> lines) {
    StringBuilder out = new StringBuilder(lines.size() * 48);
    JsonStringEncoder enc = JsonStringEncoder.getInstance();
    for (LogLines.Line l : lines) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append("{\"stream\":\"").append(l.stream()).append("\",\"line\":\"");
      enc.quoteAsString(l.line(), out);
      out.append('"');
      if (l.ts() != null) {
        out.append(",\"ts\":\"");
        enc.quoteAsString(l.ts(), out);
        out.append('"');
      }
      out.append('}');
    }
    return out.toString();
  }

  // ---- exec ------------------------------------------------------------------------------------

  private Route execWs(String ref, Caller c) {
    Map<String, String> args = execArgs(c.params(), "sh");
    ContainerRoutes.Found found = containers.resolve(ref);
    return withLink(found.hostId(), link -> handleWebSocketMessages(deferred(() -> {
      String target = target(found);
      audit.record(c.user().name(), "container.exec.start", target, "ok",
          "cmd=" + args.get("cmd") + "; host " + found.hostId(), "");
      return terminal(link, "exec", Keys.container(found.id()), args, closed -> audit.record(c.user().name(),
          "container.exec.end", target, closed.error() == null || closed.error().equals("client closed") ? "ok" : "failed",
          endDetail(closed), ""));
    })));
  }

  private Route hostExecWs(Principal user, String hostId, Map<String, String> params) {
    Map<String, String> args = execArgs(params, "/bin/sh");
    return withLinkReply(hostId, reply -> {
      if (reply.capabilities() != null && !reply.capabilities().contains(AgentMessage.Hello.HOST_EXEC)) {
        audit.record(user.name(), "host.exec.start", "host " + hostId, "denied", HOST_EXEC_OFF, "");
        return complete(ErrorMapper.error(StatusCodes.FORBIDDEN, HOST_EXEC_OFF));
      }
      return hostExecSession(user, hostId, args, reply.link());
    });
  }

  /** What an admin is told when the host's agent was not started with host exec allowed. */
  static final String HOST_EXEC_OFF = "host exec is off on this agent; start the agent with --allow-host-exec"
      + " (or PORTOLAN_AGENT_HOST_EXEC=true, or portolan.node.agent.host-exec = true) to allow shells on its host";

  private Route hostExecSession(Principal user, String hostId, Map<String, String> args,
      ActorRef<HostEntity.ToAgent> link) {
    return handleWebSocketMessages(deferred(() -> {
      audit.record(user.name(), "host.exec.start", "host " + hostId, "ok", "cmd=" + args.get("cmd"), "");
      return terminal(link, "host-exec", Keys.host(hostId), args, closed -> audit.record(user.name(),
          "host.exec.end", "host " + hostId, closed.error() == null || closed.error().equals("client closed")
              ? "ok" : "failed", endDetail(closed), ""));
    }));
  }

  private static String endDetail(AgentMessage.PipeClosed closed) {
    return closed.exitCode() != null ? "exit code " + closed.exitCode()
        : closed.error() == null ? "ended" : closed.error();
  }

  private Map<String, String> execArgs(Map<String, String> params, String defaultCmd) {
    Map<String, String> args = new HashMap<>();
    String cmd = params.getOrDefault("cmd", defaultCmd).trim();
    if (cmd.isEmpty() || cmd.length() > 1024 || cmd.indexOf('\0') >= 0) {
      throw new BadRequestException("'cmd' must be a command of 1-1024 characters, e.g. sh");
    }
    args.put("cmd", cmd);
    for (String dim : List.of("cols", "rows")) {
      if (params.containsKey(dim)) {
        try {
          int v = Integer.parseInt(params.get(dim));
          if (v < 1 || v > 1000) {
            throw new NumberFormatException();
          }
          args.put(dim, Integer.toString(v));
        } catch (NumberFormatException e) {
          throw new BadRequestException("'" + dim + "' must be a whole number from 1 to 1000");
        }
      }
    }
    return args;
  }

  private Flow<Message, Message, NotUsed> terminal(ActorRef<HostEntity.ToAgent> link, String kind, String targetKey,
      Map<String, String> args, Consumer<AgentMessage.PipeClosed> onEnd) {
    PipeStreams.Opened pipe = PipeStreams.open(system, link, kind, targetKey, args, onEnd);
    ActorRef<PipeSession.Command> session = pipe.session();
    Source<Message, NotUsed> out = pipe.frames().map(m -> {
      if (m instanceof AgentMessage.PipeData d) {
        return (Message) BinaryMessage.create(ByteString.fromArrayUnsafe(d.bytes()));
      }
      AgentMessage.PipeClosed closed = (AgentMessage.PipeClosed) m;
      Map<String, Object> exit = new LinkedHashMap<>();
      exit.put("type", "exit");
      exit.put("code", closed.exitCode());
      if (closed.error() != null) {
        exit.put("error", PipeStreams.message(closed.error()));
      }
      return (Message) TextMessage.create(Json.MAPPER.writeValueAsString(exit));
    });
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, this::strict)
        .to(Sink.foreach(input -> {
          if (input instanceof String text) {
            PipeSession.Command resize = resize(text);
            if (resize != null) {
              session.tell(resize);
              return;
            }
            input = text.getBytes(StandardCharsets.UTF_8);
          }
          byte[] bytes = (byte[]) input;
          for (int off = 0; off < bytes.length; off += 32 * 1024) {
            session.tell(new PipeSession.Input(java.util.Arrays.copyOfRange(bytes, off,
                Math.min(bytes.length, off + 32 * 1024))));
          }
        }));
    return Flow.fromSinkAndSourceCoupled(in, out);
  }

  private CompletionStage<Object> strict(Message m) {
    if (m.isText()) {
      return m.asTextMessage().getStreamedText().limitWeighted(MAX_INPUT_BYTES, s -> (long) s.length())
          .runFold("", String::concat, materializer).thenApply(s -> (Object) s);
    }
    return m.asBinaryMessage().getStreamedData().limitWeighted(MAX_INPUT_BYTES, b -> (long) b.size())
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer).thenApply(b -> (Object) b.toArray());
  }

  /** The resize command, or null when the text is input. */
  static PipeSession.Command resize(String text) {
    if (!text.startsWith("{\"type\"") && !text.startsWith("{ \"type\"")) {
      return null;
    }
    try {
      JsonNode j = Json.MAPPER.readTree(text);
      if (j.path("type").asText().equals("resize") && j.path("cols").canConvertToInt() && j.path("rows").canConvertToInt()) {
        return new PipeSession.Resize(j.path("cols").asInt(), j.path("rows").asInt());
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }

  // ---- inspect, env, files ---------------------------------------------------------------------

  private Route document(String ref, String kind, Caller c) {
    Map<String, String> args = new HashMap<>();
    if (!kind.equals("ls")) {
      boolean unmasked = flag(c.params(), "unmasked", false);
      if (unmasked && !c.user().role().includes(Role.ADMIN)) {
        throw new ForbiddenException("unmasked values need the admin role; '" + c.user().name() + "' is "
            + c.user().role().name().toLowerCase(java.util.Locale.ROOT));
      }
      args.put("unmasked", Boolean.toString(unmasked));
    } else {
      args.put("path", path(c.params()));
    }
    ContainerRoutes.Found found = containers.resolve(ref);
    String action = "container." + (kind.equals("ls") ? "files.list" : kind);
    String detail = kind.equals("ls") ? args.get("path") : "true".equals(args.get("unmasked")) ? "unmasked" : "masked";
    return withLink(found.hostId(), link -> {
      PipeStreams.Opened pipe = PipeStreams.open(system, link, kind, Keys.container(found.id()), args,
          closed -> audit.record(c.user().name(), action, target(found), closed.error() == null ? "ok" : "failed",
              closed.error() == null ? detail : detail + ": " + closed.error(), ""));
      CompletionStage<HttpResponse> response = pipe.frames()
          .completionTimeout(DOCUMENT_TIMEOUT)
          .runWith(Sink.fold(new Collected(), Collected::add), materializer)
          .thenApply(Collected::response);
      return onSuccess(response, r -> complete(r));
    });
  }

  /** A small document from the agent, gathered up to {@link #MAX_DOCUMENT_BYTES}. */
  private static final class Collected {
    private final org.apache.pekko.util.ByteStringBuilder bytes = new org.apache.pekko.util.ByteStringBuilder();
    private String error;

    Collected add(AgentMessage m) {
      if (m instanceof AgentMessage.PipeData d) {
        if (bytes.length() + d.bytes().length > MAX_DOCUMENT_BYTES) {
          throw new IllegalStateException("document larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        bytes.putBytes(d.bytes());
      } else if (m instanceof AgentMessage.PipeClosed closed) {
        error = closed.error();
      }
      return this;
    }

    HttpResponse response() {
      if (error != null) {
        return ErrorMapper.error(StatusCodes.get(clientStatus(error)), PipeStreams.message(error));
      }
      return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, bytes.result()));
    }
  }

  private Route fileDownload(String ref, Caller c) {
    String path = path(c.params());
    ContainerRoutes.Found found = containers.resolve(ref);
    return withLink(found.hostId(), link -> {
      PipeStreams.Opened pipe = PipeStreams.open(system, link, "download", Keys.container(found.id()),
          Map.of("path", path), closed -> audit.record(c.user().name(), "container.files.download", target(found),
              closed.error() == null ? "ok" : "failed", closed.error() == null ? path : path + ": " + closed.error(),
              ""));
      String name = path.substring(path.lastIndexOf('/') + 1);
      return attachment(pipe.frames(), name.isEmpty() ? "download" : name, ContentTypes.APPLICATION_OCTET_STREAM);
    });
  }

  private static String path(Map<String, String> params) {
    String path = params.getOrDefault("path", "");
    if (!path.startsWith("/") || path.length() > 4096 || path.indexOf('\0') >= 0) {
      throw new BadRequestException("'path' must be an absolute path in the container, e.g. ?path=/etc");
    }
    return path;
  }

  /**
   * Streams the pipe's data as an attachment. The first frame decides the status: an error before
   * any data is answered as an error; an error after data aborts the response (so a partial file is
   * never mistaken for a whole one).
   */
  private Route attachment(Source<AgentMessage, NotUsed> frames, String filename,
      org.apache.pekko.http.javadsl.model.ContentType type) {
    CompletionStage<HttpResponse> response = frames.prefixAndTail(1)
        .runWith(Sink.head(), materializer)
        .thenApply(pair -> {
          List<AgentMessage> first = pair.first();
          if (!first.isEmpty() && first.get(0) instanceof AgentMessage.PipeClosed closed && closed.error() != null) {
            return ErrorMapper.error(StatusCodes.get(clientStatus(closed.error())), PipeStreams.message(closed.error()));
          }
          Source<ByteString, NotUsed> data = Source.from(first).concat(pair.second()).mapConcat(m -> {
            if (m instanceof AgentMessage.PipeData d) {
              return List.of(ByteString.fromArrayUnsafe(d.bytes()));
            }
            AgentMessage.PipeClosed closed = (AgentMessage.PipeClosed) m;
            if (closed.error() != null) {
              throw new IllegalStateException("the download broke off: " + closed.error());
            }
            return List.<ByteString>of();
          });
          return HttpResponse.create()
              .addHeader(ContentDisposition.create(ContentDispositionTypes.ATTACHMENT, Map.of("filename", filename)))
              .withEntity(HttpEntities.createChunked(type, data));
        });
    return onSuccess(response, r -> complete(r));
  }

  // ---- plumbing --------------------------------------------------------------------------------

  /** The agent's link of the host, or 503 when the agent is not connected. */
  private Route withLink(String hostId, Function<ActorRef<HostEntity.ToAgent>, Route> inner) {
    return withLinkReply(hostId, r -> inner.apply(r.link()));
  }

  /** The host's agent link (503 with the reason when it is not connected), with what the agent may do. */
  private Route withLinkReply(String hostId, Function<HostEntity.LinkReply, Route> inner) {
    CompletionStage<HostEntity.LinkReply> reply = sharding.entityRefFor(HostEntity.ENTITY_KEY, hostId)
        .ask(HostEntity.GetLink::new, askTimeout);
    return onSuccess(reply, r -> r.link() == null
        ? complete(ErrorMapper.error(StatusCodes.SERVICE_UNAVAILABLE, r.problem()))
        : inner.apply(r));
  }

  /** A flow built when the WebSocket is accepted, not when the route is built (a probe GET opens nothing). */
  private static Flow<Message, Message, NotUsed> deferred(java.util.function.Supplier<Flow<Message, Message, NotUsed>> f) {
    return Flow.<Message, Message, NotUsed>fromMaterializer((mat, attrs) -> f.get()).mapMaterializedValue(x -> NotUsed.getInstance());
  }

  private void discard(Message m) {
    if (m.isText()) {
      m.asTextMessage().getStreamedText().runWith(Sink.ignore(), materializer);
    } else {
      m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer);
    }
  }

  private static int clientStatus(String error) {
    int s = PipeStreams.status(error);
    return s == 404 || s == 400 || s == 409 || s == 503 ? s : 502;
  }

  private static boolean flag(Map<String, String> params, String name, boolean dflt) {
    String v = params.getOrDefault(name, Boolean.toString(dflt));
    if (!v.equals("true") && !v.equals("false")) {
      throw new BadRequestException("'" + name + "' must be true or false");
    }
    return v.equals("true");
  }

  private static String target(ContainerRoutes.Found found) {
    return found.name() + " (" + (found.id().length() > 12 ? found.id().substring(0, 12) : found.id()) + ")";
  }
}
