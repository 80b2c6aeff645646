package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's fixed log layout writes what the pattern it replaced wrote, line for line. */
class AgentLogLayoutTest {

  @Test
  void writesWhatThePatternWrote() {
    LoggerContext context = new LoggerContext();
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
    pattern.start();
    AgentLogLayout layout = new AgentLogLayout();
    layout.setContext(context);
    layout.start();

    for (Level level : List.of(Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG)) {
      for (long at : List.of(0L, 1_764_763_205_007L, 1_764_799_999_999L)) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("io.portolan.node.connections.ConnectionCollector"),
            level, "conntrack: reading flows from {} ({} entries)", null, new Object[] {"/proc/1/net/nf_conntrack", 42});
        event.setTimeStamp(at);
        assertThat(layout.doLayout(event)).isEqualTo(pattern.doLayout(event));
      }
    }
  }
}
