package io.portolan.node.agent;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The standalone agent's log line, {@code HH:mm:ss.SSS LEVEL logger - message} and the stack trace if any:
 * what the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n} printed, written directly.
 * Logback's {@code PatternLayout} parses its pattern into a converter chain and registers a converter class
 * for every keyword it knows (~70 classes loaded at start-up) for a format that never changes here.
 */
final class AgentLogLayout extends LayoutBase<ILoggingEvent> {

  private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(36);
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    LocalTime time = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
    pad(line, time.getHour(), 2).append(':');
    pad(line, time.getMinute(), 2).append(':');
    pad(line, time.getSecond(), 2).append('.');
    pad(line, time.getNano() / 1_000_000, 3).append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(' ').append(abbreviator.abbreviate(event.getLoggerName())).append(" - ")
        .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  private static StringBuilder pad(StringBuilder line, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      line.append('0');
    }
    return line.append(digits);
  }
}
