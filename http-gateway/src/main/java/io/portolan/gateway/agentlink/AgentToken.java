package io.portolan.gateway.agentlink;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token agents present on {@code /agent/ws}: {@code portolan.agents.token}
 * ({@code PORTOLAN_AGENT_TOKEN}). When unset, a random one is generated at start and logged once.
 * Issue 5 replaces this shared token with per-agent tokens.
 */
public final class AgentToken {

  private static final Logger log = LoggerFactory.getLogger(AgentToken.class);

  private final byte[] token;

  private AgentToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  public static AgentToken of(String token) {
    return new AgentToken(token);
  }

  public static AgentToken fromConfig(Config config) {
    String configured = config.getString("portolan.agents.token");
    if (!configured.isBlank()) {
      return new AgentToken(configured.trim());
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String generated = HexFormat.of().formatHex(random);
    log.warn("No agent token configured; generated one for this node: {} . Agents must send "
        + "'Authorization: Bearer <token>'. Set the same PORTOLAN_AGENT_TOKEN on every node of a cluster.", generated);
    return new AgentToken(generated);
  }

  /** Constant-time check of an {@code Authorization} header value. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, token);
  }
}
