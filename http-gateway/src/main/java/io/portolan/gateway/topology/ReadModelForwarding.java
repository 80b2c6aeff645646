package io.portolan.gateway.topology;

import io.portolan.cluster.readmodel.ReadModelPlacement.ViewNode;
import io.portolan.cluster.readmodel.ReadModelStatus;
import io.portolan.gateway.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * Sends the requests that need the read model to a view node when this node is none (see
 * {@code ReadModelRole}): {@code /api/topology/**} (GETs and WebSockets), {@code /api/search},
 * {@code /api/containers/**} and {@code /api/hosts/**} (they find a container's host in the model),
 * {@code /api/kubernetes/**}. A request is passed on as it came (method, path, query, body,
 * credentials; the view node authenticates and audits it), the answer streamed back as it comes; a
 * WebSocket is opened to the view node first and, once it is accepted there, joined to the client's.
 * A view node answers itself once its model is complete and 503 with its progress while it warms up.
 *
 * <p>Requests forwarded once are never forwarded again ({@value #FORWARDED}): a node that got one
 * but is no view node (the nodes disagree for a moment while membership changes) answers 503.
 */
public final class ReadModelForwarding extends AllDirectives {

  /** Set on a forwarded request (the forwarding node's address). */
  public static final String FORWARDED = "X-Portolan-Forwarded";
  /** Set on a forwarded answer: the view node that made it. */
  public static final String VIEW_NODE = "X-Portolan-View-Node";

  private static final Pattern PREFIXES = Pattern.compile("topology|search|containers|hosts|kubernetes");
  /** Hop-by-hop and connection-specific headers, and Pekko's synthetic ones: not passed on. */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "timeout-access", "remote-address",
      "raw-request-uri", "tls-session-info", "connection", "keep-alive", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "content-length", "content-type", "sec-websocket-key",
      "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept",
      FORWARDED.toLowerCase(Locale.ROOT));
  private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "transfer-encoding",
      "server", "date", "content-length", "content-type");

  private final Http http;
  private final Materializer materializer;
  private final ReadModelStatus status;

  public ReadModelForwarding(ActorSystem<?> system, ReadModelStatus status) {
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.status = status;
  }

  /** Answers (forwards, or 503) what this node cannot answer itself; rejects (no rejection) what it can. */
  public Route route() {
    return pathPrefixTest(PathMatchers.segment("api").slash(PathMatchers.segment(PREFIXES)), prefix ->
        extractRequest(request -> {
          ReadModelStatus.State s = status.get();
          if (s.servesLocally()) {
            return reject();
          }
          if (s.viewNode()) {
            return unavailable("read model warming up: " + s.hostsReady() + " of " + s.hostsExpected() + " hosts",
                s.hostsReady(), s.hostsExpected());
          }
          if (request.getHeader(FORWARDED).isPresent()) {
            return unavailable("this node holds no read model (the view nodes are changing); retry", -1, -1);
          }
          List<ViewNode> targets = s.forwardOrder();
          if (targets.isEmpty()) {
            return unavailable("no view node is up yet (the cluster is forming); retry", -1, -1);
          }
          return request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.webSocketUpgrade)
              .map(upgrade -> webSocket(request, upgrade, targets.get(0), s.selfAddress()))
              .orElseGet(() -> onComplete(send(request, targets, 0, s.selfAddress()), reply -> reply.isSuccess()
                  ? complete(reply.get())
                  : unavailable("no view node answered (" + reply.failed().get().getMessage() + "); retry", -1, -1)));
        }));
  }

  private CompletionStage<HttpResponse> send(HttpRequest request, List<ViewNode> targets, int i, String self) {
    ViewNode target = targets.get(i);
    HttpRequest out = request.withUri(Uri.create(target.httpBase() + relative(request.getUri())))
        .withHeaders(passed(request.getHeaders(), NOT_FORWARDED))
        .addHeader(RawHeader.create(FORWARDED, self));
    CompletionStage<HttpResponse> reply = http.singleRequest(out)
        .thenApply(r -> r.withHeaders(passed(r.getHeaders(), NOT_RETURNED))
            .addHeader(RawHeader.create(VIEW_NODE, target.address())));
    boolean retryable = request.method().equals(HttpMethods.GET) && i + 1 < targets.size();
    if (!retryable) {
      return reply;
    }
    // A view node that cannot be reached (crashed, not yet downed): the next one, for reads only.
    return reply.handle((r, e) -> e == null ? CompletableFuture.completedFuture(r) : send(request, targets, i + 1, self))
        .thenCompose(x -> x);
  }

  /**
   * Opens the WebSocket to the view node first: only when the view node accepted it is the client's
   * upgrade accepted and the two joined; a refusal (401, 503 warming up) is answered as such.
   */
  private Route webSocket(HttpRequest request, WebSocketUpgrade upgrade, ViewNode target, String self) {
    WebSocketRequest ws = WebSocketRequest.create(target.httpBase().replaceFirst("^http", "ws")
        + relative(request.getUri()));
    for (HttpHeader h : passed(request.getHeaders(), NOT_FORWARDED)) {
      ws = ws.addHeader(h);
    }
    ws = ws.addHeader(RawHeader.create(FORWARDED, self));
    Pair<Pair<Subscriber<Message>, CompletionStage<WebSocketUpgradeResponse>>, Publisher<Message>> joined =
        Source.<Message>asSubscriber()
            .viaMat(http.webSocketClientFlow(ws), Keep.both())
            .toMat(Sink.asPublisher(AsPublisher.WITHOUT_FANOUT), Keep.both())
            .run(materializer);
    Subscriber<Message> toView = joined.first().first();
    Publisher<Message> fromView = joined.second();
    return onComplete(joined.first().second(), upgraded -> {
      if (upgraded.isSuccess() && upgraded.get().isValid()) {
        Flow<Message, Message, NotUsed> pipe = Flow.fromSinkAndSourceCoupled(Sink.fromSubscriber(toView),
            Source.fromPublisher(fromView));
        return complete(upgraded.get().chosenSubprotocol()
            .map(p -> upgrade.handleMessagesWith(pipe, p))
            .orElseGet(() -> upgrade.handleMessagesWith(pipe))
            .addHeader(RawHeader.create(VIEW_NODE, target.address())));
      }
      Source.<Message>empty().runWith(Sink.fromSubscriber(toView), materializer);
      Source.fromPublisher(fromView).runWith(Sink.ignore(), materializer);
      if (upgraded.isSuccess()) {
        HttpResponse refused = upgraded.get().response();
        refused.discardEntityBytes(materializer);
        return complete(HttpResponse.create().withStatus(refused.status())
            .withHeaders(passed(refused.getHeaders(), NOT_RETURNED))
            .addHeader(RawHeader.create(VIEW_NODE, target.address()))
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json(Map.of("error",
                "the view node " + target.address() + " refused the WebSocket: " + upgraded.get().invalidationReason(),
                "status", refused.status().intValue())))));
      }
      return unavailable("the view node " + target.address() + " could not be reached ("
          + upgraded.failed().get().getMessage() + "); retry", -1, -1);
    });
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String relative(Uri uri) {
    return uri.toRelative().toString();
  }

  private static List<HttpHeader> passed(Iterable<HttpHeader> headers, Set<String> dropped) {
    List<HttpHeader> out = new ArrayList<>();
    for (HttpHeader h : headers) {
      if (!dropped.contains(h.lowercaseName())) {
        out.add(h);
      }
    }
    return out;
  }

  private Route unavailable(String message, int ready, int expected) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", 503);
    if (expected >= 0) {
      body.put("hostsReady", ready);
      body.put("hostsExpected", expected);
    }
    return complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
        .addHeader(RawHeader.create("Retry-After", "1"))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json(body))));
  }
}
