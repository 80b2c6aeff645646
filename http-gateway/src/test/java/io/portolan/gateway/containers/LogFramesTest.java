package io.portolan.gateway.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portolan.gateway.http.Json;
import io.portolan.gateway.pipes.LogLines;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log WebSocket frame: the lines of one agent chunk, one JSON object per "\n"-separated line. */
class LogFramesTest {

  @Test
  void oneFrameHoldsEveryLineOfAChunkAsJsonObjects() throws Exception {
    LogLines lines = new LogLines(true);
    String chunk = "2024-05-01T10:00:00.1Z plain\n2024-05-01T10:00:00.2Z quote \" back \\ tab \t bell \u0007 é ✓\n"
        + "2024-05-01T10:00:00.3Z unfinished";
    String frame = ContainerPipeRoutes.linesJson(lines.add("stderr", chunk.getBytes(StandardCharsets.UTF_8)));
    List<String> parts = frame.lines().toList();
    assertThat(parts).hasSize(2);
    JsonNode first = Json.MAPPER.readTree(parts.get(0));
    JsonNode second = Json.MAPPER.readTree(parts.get(1));
    assertThat(first.get("stream").asText()).isEqualTo("stderr");
    assertThat(first.get("line").asText()).isEqualTo("plain");
    assertThat(first.get("ts").asText()).isEqualTo("2024-05-01T10:00:00.1Z");
    assertThat(second.get("line").asText()).isEqualTo("quote \" back \\ tab \t bell \u0007 é ✓");
    assertThat(ContainerPipeRoutes.linesJson(lines.flush())).isEqualTo(
        "{\"stream\":\"stderr\",\"line\":\"unfinished\",\"ts\":\"2024-05-01T10:00:00.3Z\"}");
  }

  @Test
  void noLinesNoFrameAndNoTimestampWithoutAsking() {
    assertThat(ContainerPipeRoutes.linesJson(List.of())).isEmpty();
    LogLines lines = new LogLines(false);
    assertThat(ContainerPipeRoutes.linesJson(lines.add("stdout", "a\nb\n".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("{\"stream\":\"stdout\",\"line\":\"a\"}\n{\"stream\":\"stdout\",\"line\":\"b\"}");
  }
}
