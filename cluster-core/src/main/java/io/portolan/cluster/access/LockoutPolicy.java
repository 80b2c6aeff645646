package io.portolan.cluster.access;

import java.time.Duration;

/** After {@code maxFailures} failed logins within {@code window}, the account is locked for {@code lockFor}. */
public record LockoutPolicy(int maxFailures, Duration window, Duration lockFor) {

  public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15));
}
