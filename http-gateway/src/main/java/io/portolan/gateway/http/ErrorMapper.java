package io.portolan.gateway.http;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP answers: a JSON body {@code {"error": "..."}} with a
 * message that says what to do. Timeout → 503, rejected command or bad input → 400, no or bad
 * credentials → 401, too small a role → 403, missing → 404,
 * oversized → 413. No stack trace ever reaches a client; unexpected failures are logged with one.
 */
public final class ErrorMapper {

  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static HttpResponse error(StatusCode status, String message) {
    String body;
    try {
      body = Json.MAPPER.writeValueAsString(Map.of("error", message, "status", status.intValue()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      body = "{\"error\":\"internal error\"}";
    }
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  public static ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .matchAny(t -> Directives.complete(toResponse(t)))
        .build();
  }

  static HttpResponse toResponse(Throwable thrown) {
    Throwable t = unwrap(thrown);
    if (t instanceof BadRequestException e) {
      return error(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    if (t instanceof UnauthorizedException e) {
      return error(StatusCodes.UNAUTHORIZED, e.getMessage())
          .addHeader(org.apache.pekko.http.javadsl.model.HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"portolan\""));
    }
    if (t instanceof LockedException e) {
      return error(StatusCodes.LOCKED, e.getMessage());
    }
    if (t instanceof TooManyRequestsException e) {
      return error(StatusCodes.TOO_MANY_REQUESTS, e.getMessage());
    }
    if (t instanceof ForbiddenException e) {
      return error(StatusCodes.FORBIDDEN, e.getMessage());
    }
    if (t instanceof NotFoundException e) {
      return error(StatusCodes.NOT_FOUND, e.getMessage());
    }
    if (t instanceof StatusReply.ErrorMessage e) {
      return error(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    if (t instanceof EntityStreamSizeException e) {
      return error(StatusCodes.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of "
          + e.limit() + " bytes; send a smaller body");
    }
    if (t instanceof AskTimeoutException || t instanceof TimeoutException) {
      return error(StatusCodes.SERVICE_UNAVAILABLE,
          "the cluster did not answer in time; it may be starting or failing over, try again shortly");
    }
    log.error("Unexpected failure while serving a request", t);
    return error(StatusCodes.INTERNAL_SERVER_ERROR, "internal error; the server log has the details");
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Pekko's rejection handling, with every answer rewritten as the same JSON error shape. */
  public static RejectionHandler rejectionHandler() {
    RejectionHandler tooLarge = RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> r.getCause() instanceof EntityStreamSizeException
            ? Directives.complete(toResponse(r.getCause()))
            : Directives.reject(r))
        .build();
    return tooLarge.withFallback(RejectionHandler.defaultHandler()).mapRejectionResponse(response -> {
      if (response.entity() instanceof HttpEntity.Strict strict
          && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
        String text = strict.getData().utf8String();
        if (response.status().intValue() == 404 && text.startsWith("The requested resource could not be found")) {
          text = "no such route; the API lives under /api and health checks under /health";
        }
        return error(response.status(), text);
      }
      return response;
    });
  }
}
