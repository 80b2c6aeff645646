package io.portolan.node.agent;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The standalone agent's logging, set up in code: console, through an async appender that never blocks,
 * level from {@code PORTOLAN_LOG_LEVEL} (default INFO), docker-java at WARN. Logback finds this class
 * through {@code META-INF/services}; it acts only when {@link AgentMain} asked for it (property
 * {@value #PROPERTY}) and no {@code -Dlogback.configurationFile} was given, so an application that embeds
 * the agent keeps its own configuration. Compared with the XML file it replaces, start-up skips Joran
 * (the XML parser and its model classes: ~300 classes, a few MB of metaspace).
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {

  static final String PROPERTY = "portolan.agent.logging";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(PROPERTY) == null || System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.NEUTRAL;
    }
    AgentLogLayout layout = new AgentLogLayout(); // %d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getenv("PORTOLAN_LOG_LEVEL"), Level.INFO));
    root.addAppender(async);
    context.getLogger("com.github.dockerjava").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
