package io.portolan.gateway.http;

import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** Base of route classes that take and give JSON: size-limited, strictly parsed bodies. */
public abstract class JsonDirectives extends AllDirectives {

  private final long maxBodyBytes;

  protected JsonDirectives(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The body parsed as {@code type} (400 with the reason when it is not; 413 when too large). */
  protected <T> Route jsonBody(Class<T> type, Function<T, Route> inner) {
    return withSizeLimit(maxBodyBytes, () ->
        entity(Unmarshaller.entityToString(), text -> inner.apply(Json.parse(text, type))));
  }

  /** Like {@link #jsonBody}, with {@code whenEmpty} for an empty body. */
  protected <T> Route optionalJsonBody(Class<T> type, T whenEmpty, Function<T, Route> inner) {
    return withSizeLimit(maxBodyBytes, () -> entity(Unmarshaller.entityToString(), text ->
        inner.apply(text.isBlank() ? whenEmpty : Json.parse(text, type))));
  }

  protected Route json(StatusCode status, Object value) {
    return complete(status, value, Json.marshaller());
  }
}
