package io.portolan.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.util.List;

/**
 * The agent ↔ cluster wire format: Jackson CBOR of {@link AgentMessage} and {@link ClusterMessage},
 * one message per WebSocket binary frame. CBOR because reports are mostly repeated field names and
 * numbers: it is about half the size of the same JSON and cheaper to parse, while the records stay
 * the schema (and the same records print as JSON for debugging). Unknown fields are ignored so that
 * a newer agent can add fields within a protocol version; an incompatible change bumps
 * {@link #VERSION}.
 */
public final class Protocol {

  public static final int VERSION = 1;
  /** Frames larger than this are refused before parsing. */
  public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;
  public static final int MAX_ENTRIES = 100_000;
  public static final int MAX_SAMPLES = 200_000;
  public static final int MAX_KEY_LENGTH = 512;
  /** The largest {@link AgentMessage.PipeData} payload; agents split larger output. */
  public static final int MAX_PIPE_CHUNK_BYTES = 64 * 1024;
  public static final java.util.Set<String> PIPE_STREAMS = java.util.Set.of("stdout", "stderr", "data");

  private static final ObjectMapper CBOR = CBORMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  static {
    CBOR.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
  }

  private Protocol() {}

  public static byte[] encode(AgentMessage message) {
    return write(message, AgentMessage.class);
  }

  public static byte[] encode(ClusterMessage message) {
    return write(message, ClusterMessage.class);
  }

  /** Parses and validates one frame from an agent. */
  public static AgentMessage decodeAgentMessage(byte[] frame) throws ProtocolException {
    AgentMessage message = read(frame, AgentMessage.class);
    validate(message);
    return message;
  }

  public static ClusterMessage decodeClusterMessage(byte[] frame) throws ProtocolException {
    return read(frame, ClusterMessage.class);
  }

  private static byte[] write(Object message, Class<?> as) {
    try {
      return CBOR.writerFor(as).writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(byte[] frame, Class<T> type) throws ProtocolException {
    if (frame == null || frame.length == 0) {
      throw new ProtocolException("empty frame");
    }
    if (frame.length > MAX_FRAME_BYTES) {
      throw new ProtocolException("frame of " + frame.length + " bytes exceeds the limit of " + MAX_FRAME_BYTES
          + " bytes; send deltas or split the report");
    }
    try {
      T value = CBOR.readValue(frame, type);
      if (value == null) {
        throw new ProtocolException("frame holds no message");
      }
      return value;
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new ProtocolException("malformed " + type.getSimpleName() + " frame: " + detail);
    }
  }

  /** Checks what the types cannot: versions, identities, sizes and keys. */
  public static void validate(AgentMessage message) throws ProtocolException {
    if (message instanceof AgentMessage.Hello hello) {
      checkVersion(hello.protocolVersion());
      checkId("agentId", hello.agentId(), 63);
      checkId("hostId", hello.hostId(), 253);
    } else if (message instanceof AgentMessage.Report report) {
      checkVersion(report.protocolVersion());
      checkId("agentId", report.agentId(), 63);
      checkId("hostId", report.hostId(), 253);
      if (report.seq() < 0) {
        throw new ProtocolException("report seq must not be negative (got " + report.seq() + ")");
      }
      List<Entry> entries = report.entries() == null ? List.of() : report.entries();
      if (entries.size() > MAX_ENTRIES) {
        throw new ProtocolException("report has " + entries.size() + " entries; the limit is " + MAX_ENTRIES);
      }
      for (Entry entry : entries) {
        checkEntry(entry);
      }
      List<MetricSample> samples = report.samples() == null ? List.of() : report.samples();
      if (samples.size() > MAX_SAMPLES) {
        throw new ProtocolException("report has " + samples.size() + " samples; the limit is " + MAX_SAMPLES);
      }
      if (report.metrics() != null) {
        checkBatch(report.metrics(), MAX_SAMPLES - samples.size());
      }
      for (MetricSample sample : samples) {
        if (sample == null || sample.key() == null || sample.metric() == null || sample.metric().isBlank()
            || !Double.isFinite(sample.value())) {
          throw new ProtocolException("metric sample needs a key, a metric name and a finite value (got " + sample + ")");
        }
      }
    } else if (message instanceof AgentMessage.ControlReply reply) {
      checkId("requestId", reply.requestId(), 128);
    } else if (message instanceof AgentMessage.PipeData data) {
      checkId("pipeId", data.pipeId(), 128);
      if (data.stream() == null || !PIPE_STREAMS.contains(data.stream())) {
        throw new ProtocolException("pipe data stream must be one of " + PIPE_STREAMS + " (got " + data.stream() + ")");
      }
      if (data.bytes() == null || data.bytes().length > MAX_PIPE_CHUNK_BYTES) {
        throw new ProtocolException("pipe data needs bytes, at most " + MAX_PIPE_CHUNK_BYTES + " per frame");
      }
    } else if (message instanceof AgentMessage.PipeClosed closed) {
      checkId("pipeId", closed.pipeId(), 128);
    }
  }

  private static void checkBatch(MetricBatch batch, int room) throws ProtocolException {
    if (batch.timestamp() <= 0) {
      throw new ProtocolException("a metric batch needs a positive timestamp");
    }
    if (batch.keys() == null || batch.columns() == null) {
      throw new ProtocolException("a metric batch needs 'keys' and 'columns'");
    }
    if (batch.keys().size() > MAX_ENTRIES) {
      throw new ProtocolException("metric batch has " + batch.keys().size() + " keys; the limit is " + MAX_ENTRIES);
    }
    for (String key : batch.keys()) {
      if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
        throw new ProtocolException("every metric batch key must be 1-" + MAX_KEY_LENGTH + " characters");
      }
    }
    long total = 0;
    for (MetricBatch.Column c : batch.columns()) {
      if (c == null || c.metric() == null || c.metric().isBlank() || c.keyIndex() == null || c.values() == null) {
        throw new ProtocolException("every metric batch column needs a metric name, 'keyIndex' and 'values'");
      }
      if (c.keyIndex().length != c.values().length) {
        throw new ProtocolException("metric batch column '" + c.metric() + "' has " + c.keyIndex().length
            + " key indexes but " + c.values().length + " values; they must pair up");
      }
      for (int i = 0; i < c.values().length; i++) {
        int k = c.keyIndex()[i];
        if (k < 0 || k >= batch.keys().size()) {
          throw new ProtocolException("metric batch column '" + c.metric() + "' names key index " + k + "; there are "
              + batch.keys().size() + " keys");
        }
        if (!Double.isFinite(c.values()[i])) {
          throw new ProtocolException("metric batch column '" + c.metric() + "' has a value that is not finite");
        }
      }
      total += c.values().length;
    }
    if (total > room) {
      throw new ProtocolException("report has " + total + " batched samples; the limit is " + MAX_SAMPLES + " in all");
    }
  }

  private static void checkEntry(Entry entry) throws ProtocolException {
    if (entry == null || entry.key() == null || entry.key().isBlank()) {
      throw new ProtocolException("every entry needs a key");
    }
    if (entry.key().length() > MAX_KEY_LENGTH) {
      throw new ProtocolException("entry key longer than " + MAX_KEY_LENGTH + " characters");
    }
    if (entry.timestamp() <= 0) {
      throw new ProtocolException("entry '" + entry.key() + "' needs a positive timestamp");
    }
    if (entry.payload() != null && !Keys.kindOf(entry.key()).equals(Keys.kindOf(entry.payload()))) {
      throw new ProtocolException("entry '" + entry.key() + "' holds a " + Keys.kindOf(entry.payload())
          + " payload; its key must start with '" + Keys.kindOf(entry.payload()) + ":'");
    }
  }

  private static void checkVersion(int version) throws ProtocolException {
    if (version != VERSION) {
      throw new ProtocolException("unsupported protocol version " + version + "; this cluster speaks version "
          + VERSION + ": upgrade the agent or the cluster");
    }
  }

  private static void checkId(String field, String value, int max) throws ProtocolException {
    if (value == null || value.isBlank() || value.length() > max) {
      throw new ProtocolException("'" + field + "' must be 1-" + max + " characters");
    }
  }
}
