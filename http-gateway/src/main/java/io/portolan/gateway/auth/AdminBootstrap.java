package io.portolan.gateway.auth;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.access.UserEntity;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an {@code admin} user exists: on the cluster's first start it is created with
 * {@code PORTOLAN_ADMIN_PASSWORD}, or with a generated password printed once. Every node asks; the
 * UserEntity creates it at most once, so only the node that created it prints the password.
 */
public final class AdminBootstrap {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
  public static final String ADMIN = "admin";

  private AdminBootstrap() {}

  public static CompletionStage<UserEntity.Created> ensureAdmin(ClusterSharding sharding, String configuredPassword,
      Executor hashing, Duration timeout) {
    boolean generated = configuredPassword == null || configuredPassword.isBlank();
    String password = generated ? generatePassword() : configuredPassword;
    String problem = Passwords.problemWith(password);
    if (problem != null) {
      log.error("PORTOLAN_ADMIN_PASSWORD is not acceptable: {}. No admin user was created.", problem);
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
    }
    return CompletableFuture.supplyAsync(() -> Passwords.hash(password), hashing)
        .thenCompose(hash -> sharding.entityRefFor(UserEntity.ENTITY_KEY, ADMIN).askWithStatus(
            (ActorRef<StatusReply<UserEntity.Created>> r) -> new UserEntity.Create(hash, Role.ADMIN, true, r), timeout))
        .whenComplete((created, error) -> {
          if (error != null) {
            log.warn("Could not make sure the admin user exists ({}); will retry at the next start", error.toString());
          } else if (created.created() && generated) {
            log.warn("Created the user 'admin' with the generated password: {}  (shown once; set"
                + " PORTOLAN_ADMIN_PASSWORD to choose it, change it with PUT /api/users/admin/password)", password);
          } else if (created.created()) {
            log.info("Created the user 'admin' with the password from PORTOLAN_ADMIN_PASSWORD");
          }
        });
  }

  private static String generatePassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
