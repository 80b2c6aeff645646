package io.portolan.gateway.auth;

import com.typesafe.config.Config;
import io.portolan.cluster.access.LockoutPolicy;
import java.time.Duration;

/** The {@code portolan.auth} block, read once. */
public record AuthSettings(String adminPassword, Duration sessionTtl, Duration tokenCacheTtl,
    int loginAttemptsPerMinute, LockoutPolicy lockout, boolean secureCookie) {

  public static AuthSettings from(Config config) {
    Config a = config.getConfig("portolan.auth");
    return new AuthSettings(
        a.getString("admin-password"),
        a.getDuration("session-ttl"),
        a.getDuration("token-cache-ttl"),
        a.getInt("login-attempts-per-minute"),
        new LockoutPolicy(a.getInt("lockout-failures"), a.getDuration("lockout-window"), a.getDuration("lockout-duration")),
        a.getBoolean("secure-cookie"));
  }
}
