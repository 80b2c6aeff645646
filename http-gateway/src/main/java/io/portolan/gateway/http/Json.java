package io.portolan.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;

/**
 * The gateway's one JSON mapper. Parsing is strict (unknown fields, wrong types and coerced
 * scalars are rejected) and every failure becomes a {@link BadRequestException} whose message
 * names the field and says what was expected.
 */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .build();

  static {
    // "hostname": 5 must not silently become "5".
    MAPPER.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
  }

  private static final Marshaller<Object, RequestEntity> MARSHALLER = Jackson.marshaller(MAPPER);

  private Json() {}

  public static Marshaller<Object, RequestEntity> marshaller() {
    return MARSHALLER;
  }

  /** Parses a request body, or throws {@link BadRequestException} saying what is wrong. */
  public static <T> T parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new BadRequestException("the request body is empty; send a JSON object");
    }
    T value;
    try {
      value = MAPPER.readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new BadRequestException("unknown field '" + path(e) + "'; the allowed fields are: " + known);
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw new BadRequestException(field.isEmpty()
          ? "the request body must be a JSON object"
          : "field '" + field + "' has the wrong type: expected " + expected(e));
    } catch (JsonProcessingException e) {
      throw new BadRequestException("the request body is not valid JSON: " + e.getOriginalMessage()
          + locationOf(e));
    }
    if (value == null) {
      throw new BadRequestException("the request body must be a JSON object, not null");
    }
    return value;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String expected(MismatchedInputException e) {
    Class<?> target = e.getTargetType();
    if (target == null) {
      return "another type";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target.isEnum()) {
      return "one of " + java.util.Arrays.stream(target.getEnumConstants())
          .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }
    if (java.util.Map.class.isAssignableFrom(target)) {
      return "an object";
    }
    if (java.util.Collection.class.isAssignableFrom(target)) {
      return "an array";
    }
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
      return "a whole number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    return "a " + target.getSimpleName();
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
