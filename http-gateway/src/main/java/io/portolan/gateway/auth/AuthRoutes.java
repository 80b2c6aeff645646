package io.portolan.gateway.auth;

import io.portolan.gateway.openapi.ApiEndpoint;
import io.portolan.cluster.access.Role;
import io.portolan.cluster.access.TokenEntity;
import io.portolan.cluster.access.UserEntity;
import io.portolan.gateway.audit.AuditLog;
import io.portolan.gateway.http.BadRequestException;
import io.portolan.gateway.http.ForbiddenException;
import io.portolan.gateway.http.JsonDirectives;
import io.portolan.gateway.http.LockedException;
import io.portolan.gateway.http.NotFoundException;
import io.portolan.gateway.http.TooManyRequestsException;
import io.portolan.gateway.http.UnauthorizedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * <pre>
 * POST   /api/auth/login            {"username","password"} → {"token",...} + HttpOnly session cookie
 * POST   /api/auth/logout           revokes the presented token, clears the cookie
 * GET    /api/auth/me               who the token names
 * POST   /api/users                 {"username","password","role"}          admin
 * GET    /api/users/{name}                                                   admin, or the user
 * PUT    /api/users/{name}/password {"password"}                            admin, or the user
 * PUT    /api/users/{name}/role     {"role"}                                admin
 * DELETE /api/users/{name}                                                   admin
 * POST   /api/tokens                {"name","role"?,"expiresInDays"?,"agentId"?} an API token for the caller
 *                                   (role at most the caller's), or with agentId an agent token (admin)
 * GET    /api/tokens/{id}, DELETE /api/tokens/{id}                           its owner or an admin
 * </pre>
 * Every change and every login attempt is written to the audit log.
 */
public final class AuthRoutes extends JsonDirectives {

  /** What {@link #routes} answers, for the OpenAPI check and the metrics (see {@link ApiEndpoint}). */
  public static final java.util.List<ApiEndpoint> ENDPOINTS = java.util.List.of(
      ApiEndpoint.post("/api/auth/login"),
      ApiEndpoint.post("/api/auth/logout"),
      ApiEndpoint.get("/api/auth/me"),
      ApiEndpoint.post("/api/users"),
      ApiEndpoint.get("/api/users/{name}"),
      ApiEndpoint.delete("/api/users/{name}"),
      ApiEndpoint.put("/api/users/{name}/password"),
      ApiEndpoint.put("/api/users/{name}/role"),
      ApiEndpoint.post("/api/tokens"),
      ApiEndpoint.get("/api/tokens/{id}"),
      ApiEndpoint.delete("/api/tokens/{id}"));

  public record LoginRequest(String username, String password) {}

  public record LoginResponse(String token, String username, Role role, Instant expiresAt) {}

  public record CreateUserRequest(String username, String password, Role role) {}

  public record PasswordRequest(String password) {}

  public record RoleRequest(Role role) {}

  public record TokenRequest(String name, Role role, Integer expiresInDays, String agentId) {}

  public record TokenResponse(String token, TokenEntity.TokenView info) {}

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final ClusterSharding sharding;
  private final AuthDirectives auth;
  private final AuditLog audit;
  private final LoginRateLimiter limiter;
  private final Executor hashing;
  private final Duration timeout;
  private final Duration sessionTtl;
  private final boolean secureCookie;
  private final Clock clock;

  public AuthRoutes(ClusterSharding sharding, AuthDirectives auth, AuditLog audit, LoginRateLimiter limiter,
      Executor hashing, Duration timeout, Duration sessionTtl, boolean secureCookie, long maxBodyBytes, Clock clock) {
    super(maxBodyBytes);
    this.sharding = sharding;
    this.auth = auth;
    this.audit = audit;
    this.limiter = limiter;
    this.hashing = hashing;
    this.timeout = timeout;
    this.sessionTtl = sessionTtl;
    this.secureCookie = secureCookie;
    this.clock = clock;
  }

  public Route routes() {
    return pathPrefix("api", () -> concat(
        pathPrefix("auth", () -> concat(
            path("login", () -> post(this::login)),
            path("logout", () -> post(this::logout)),
            path("me", () -> get(() -> auth.authenticated(p -> json(StatusCodes.OK, p)))))),
        pathPrefix("users", () -> concat(
            pathEnd(() -> post(() -> auth.authorized(Role.ADMIN, this::createUser))),
            pathPrefix(PathMatchers.segment(), name -> concat(
                pathEnd(() -> concat(
                    get(() -> auth.authenticated(p -> selfOrAdmin(p, name, () -> getUser(name)))),
                    delete(() -> auth.authorized(Role.ADMIN, p -> deleteUser(p, name))))),
                path("password", () -> put(() -> auth.authenticated(p -> selfOrAdmin(p, name,
                    () -> changePassword(p, name))))),
                path("role", () -> put(() -> auth.authorized(Role.ADMIN, p -> changeRole(p, name)))))))),
        pathPrefix("tokens", () -> concat(
            pathEnd(() -> post(() -> auth.authorized(Role.VIEWER, this::createToken))),
            path(PathMatchers.segment(), id -> concat(
                get(() -> auth.authorized(Role.VIEWER, p -> getToken(p, id))),
                delete(() -> auth.authorized(Role.VIEWER, p -> revokeToken(p, id)))))))));
  }

  // ---- login / logout -------------------------------------------------------------------------

  private Route login() {
    return extractClientIP(ip -> jsonBody(LoginRequest.class, req -> {
      String client = ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown");
      if (!limiter.tryAcquire(client)) {
        throw new TooManyRequestsException("too many login attempts from " + client + "; wait a minute and try again");
      }
      String username = checkUsername(req.username());
      EntityRef<UserEntity.Command> user = user(username);
      CompletionStage<LoginResponse> outcome = user.ask(UserEntity.GetCredentials::new, timeout)
          .thenCompose(creds -> {
            if (creds.lockedUntil() != null) {
              audit.record(username, "login", username, "denied", "account locked", client);
              throw locked(username, creds.lockedUntil());
            }
            return CompletableFuture.supplyAsync(
                    () -> Passwords.matches(creds.exists() ? creds.passwordHash() : null, req.password()), hashing)
                .thenCompose(matches -> {
                  if (!creds.exists()) {
                    audit.record(username, "login", username, "failed", "no such user", client);
                    throw wrongCredentials();
                  }
                  return user.ask((org.apache.pekko.actor.typed.ActorRef<UserEntity.LoginRecorded> r)
                          -> new UserEntity.RecordLogin(matches, r), timeout)
                      .thenCompose(recorded -> {
                        if (!matches) {
                          audit.record(username, "login", username, "failed",
                              recorded.locked() ? "wrong password; account locked" : "wrong password", client);
                          throw recorded.locked() ? locked(username, recorded.lockedUntil()) : wrongCredentials();
                        }
                        audit.record(username, "login", username, "ok", "", client);
                        return issue(TokenEntity.Kind.SESSION, username, creds.role(), "session", sessionTtl)
                            .thenApply(t -> new LoginResponse(t.token(), username, creds.role(), t.info().expiresAt()));
                      });
                });
          });
      return onSuccess(outcome, response -> setCookie(sessionCookie(response.token(), sessionTtl), () ->
          json(StatusCodes.OK, response)));
    }));
  }

  private Route logout() {
    return extractClientIP(ip -> auth.authenticated(p -> {
      CompletionStage<TokenEntity.TokenView> revoked = token(p.tokenId()).askWithStatus(
          (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<TokenEntity.TokenView>> r)
              -> new TokenEntity.Revoke(p.name(), r), timeout);
      return onSuccess(revoked, view -> {
        auth.authenticator().forget(p.tokenId());
        audit.record(p.name(), "logout", p.name(), "ok", "", ip.getAddress().map(a -> a.getHostAddress()).orElse(""));
        return setCookie(sessionCookie("", Duration.ZERO), () -> json(StatusCodes.OK, Map.of("loggedOut", true)));
      });
    }));
  }

  private HttpCookie sessionCookie(String value, Duration maxAge) {
    return HttpCookie.create(AuthDirectives.SESSION_COOKIE, value)
        .withPath("/")
        .withHttpOnly(true)
        .withSecure(secureCookie)
        .withSameSite(SameSite.Strict)
        .withMaxAge(maxAge.toSeconds());
  }

  // ---- users ----------------------------------------------------------------------------------

  private Route createUser(Principal admin) {
    return jsonBody(CreateUserRequest.class, req -> {
      String username = checkUsername(req.username());
      checkPassword(req.password());
      if (req.role() == null) {
        throw new BadRequestException("'role' is required: one of viewer, operator, admin");
      }
      CompletionStage<UserEntity.Created> created = hash(req.password()).thenCompose(hash ->
          user(username).askWithStatus(
              (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<UserEntity.Created>> r)
                  -> new UserEntity.Create(hash, req.role(), false, r), timeout));
      return onSuccess(audited(admin, "user.create", username, "role " + req.role(), created),
          c -> json(StatusCodes.CREATED, c.user()));
    });
  }

  private Route getUser(String name) {
    return onSuccess(user(checkUsername(name)).ask(UserEntity.GetCredentials::new, timeout), creds -> {
      if (!creds.exists()) {
        throw new NotFoundException("user '" + name + "' does not exist");
      }
      return json(StatusCodes.OK, Map.of("username", name, "role", creds.role(),
          "locked", creds.lockedUntil() != null));
    });
  }

  private Route changePassword(Principal caller, String name) {
    return jsonBody(PasswordRequest.class, req -> {
      checkPassword(req.password());
      CompletionStage<UserEntity.UserView> changed = hash(req.password()).thenCompose(hash -> user(checkUsername(name))
          .askWithStatus((org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<UserEntity.UserView>> r)
              -> new UserEntity.ChangePassword(hash, r), timeout));
      return onSuccess(audited(caller, "user.password", name, "", changed), v -> json(StatusCodes.OK, v));
    });
  }

  private Route changeRole(Principal admin, String name) {
    return jsonBody(RoleRequest.class, req -> {
      if (req.role() == null) {
        throw new BadRequestException("'role' is required: one of viewer, operator, admin");
      }
      CompletionStage<UserEntity.UserView> changed = user(checkUsername(name)).askWithStatus(
          (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<UserEntity.UserView>> r)
              -> new UserEntity.ChangeRole(req.role(), r), timeout);
      return onSuccess(audited(admin, "user.role", name, "role " + req.role(), changed), v -> json(StatusCodes.OK, v));
    });
  }

  private Route deleteUser(Principal admin, String name) {
    if (admin.name().equals(name)) {
      throw new BadRequestException("you cannot delete your own account; ask another admin");
    }
    CompletionStage<UserEntity.UserView> deleted = user(checkUsername(name)).askWithStatus(
        (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<UserEntity.UserView>> r)
            -> new UserEntity.Delete(r), timeout);
    return onSuccess(audited(admin, "user.delete", name, "", deleted), v -> json(StatusCodes.OK, v));
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private Route createToken(Principal caller) {
    return jsonBody(TokenRequest.class, req -> {
      int days = req.expiresInDays() == null ? 90 : req.expiresInDays();
      if (days < 1 || days > 3650) {
        throw new BadRequestException("'expiresInDays' must be between 1 and 3650");
      }
      String name = req.name() == null || req.name().isBlank() ? "token" : req.name();
      if (name.length() > 100) {
        throw new BadRequestException("'name' must be at most 100 characters");
      }
      CompletionStage<TokenResponse> issued;
      String target;
      if (req.agentId() != null) {
        if (!caller.role().includes(Role.ADMIN)) {
          throw new ForbiddenException("agent tokens are issued by admins");
        }
        target = "agent:" + req.agentId();
        issued = issue(TokenEntity.Kind.AGENT, req.agentId(), Role.VIEWER, name, Duration.ofDays(days));
      } else {
        Role role = req.role() == null ? caller.role() : req.role();
        if (!caller.role().includes(role)) {
          throw new ForbiddenException("a token cannot have more rights than its owner ('" + caller.name() + "' is "
              + caller.role().name().toLowerCase(Locale.ROOT) + ")");
        }
        target = caller.name();
        issued = issue(TokenEntity.Kind.API, caller.name(), role, name, Duration.ofDays(days));
      }
      return onSuccess(audited(caller, "token.create", target, name, issued), t -> json(StatusCodes.CREATED, t));
    });
  }

  private Route getToken(Principal caller, String id) {
    return onSuccess(ownedToken(caller, id), state -> json(StatusCodes.OK, new TokenEntity.TokenView(state.id(),
        state.kind(), state.owner(), state.role(), state.name(), state.createdAt(), state.expiresAt(), state.revoked())));
  }

  private Route revokeToken(Principal caller, String id) {
    CompletionStage<TokenEntity.TokenView> revoked = ownedToken(caller, id).thenCompose(state -> token(id).askWithStatus(
        (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<TokenEntity.TokenView>> r)
            -> new TokenEntity.Revoke(caller.name(), r), timeout));
    return onSuccess(audited(caller, "token.revoke", id, "", revoked), view -> {
      auth.authenticator().forget(id);
      return json(StatusCodes.OK, view);
    });
  }

  private CompletionStage<TokenEntity.State> ownedToken(Principal caller, String id) {
    if (!id.matches("[0-9a-f]{16}")) {
      throw new BadRequestException("a token id is 16 hex characters (the part after 'ptk_' and before '.')");
    }
    return token(id).ask(TokenEntity.Get::new, timeout).thenApply(state -> {
      boolean mine = state.exists() && caller.name().equals(state.owner()) && state.kind() != TokenEntity.Kind.AGENT;
      if (!state.exists() || !(mine || caller.role().includes(Role.ADMIN))) {
        throw new NotFoundException("no token '" + id + "' of yours");
      }
      return state;
    });
  }

  private CompletionStage<TokenResponse> issue(TokenEntity.Kind kind, String owner, Role role, String name,
      Duration ttl) {
    Tokens.NewToken fresh = Tokens.generate();
    Instant expires = clock.instant().plus(ttl);
    return token(fresh.id()).askWithStatus(
            (org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<TokenEntity.TokenView>> r)
                -> new TokenEntity.Issue(kind, owner, role, name, expires, fresh.secretHash(), r), timeout)
        .thenApply(view -> new TokenResponse(fresh.token(), view));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Route selfOrAdmin(Principal caller, String name, java.util.function.Supplier<Route> inner) {
    if (caller.kind() == TokenEntity.Kind.AGENT || !(caller.name().equals(name) || caller.role().includes(Role.ADMIN))) {
      throw new ForbiddenException("only '" + name + "' or an admin may do this");
    }
    return inner.get();
  }

  /** Writes the audit event once {@code action} completed, with its outcome; passes the result on. */
  private <T> CompletionStage<T> audited(Principal actor, String action, String target, String detail,
      CompletionStage<T> stage) {
    return stage.whenComplete((value, error) -> audit.record(actor.name(), action, target,
        error == null ? "ok" : "failed", error == null ? detail : rootMessage(error), ""));
  }

  private CompletionStage<String> hash(String password) {
    return CompletableFuture.supplyAsync(() -> Passwords.hash(password), hashing);
  }

  private EntityRef<UserEntity.Command> user(String username) {
    return sharding.entityRefFor(UserEntity.ENTITY_KEY, username);
  }

  private EntityRef<TokenEntity.Command> token(String id) {
    return sharding.entityRefFor(TokenEntity.ENTITY_KEY, id);
  }

  private static String checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new BadRequestException("a username is 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a"
          + " letter or digit");
    }
    return username;
  }

  private static void checkPassword(String password) {
    String problem = Passwords.problemWith(password);
    if (problem != null) {
      throw new BadRequestException(problem);
    }
  }

  private static UnauthorizedException wrongCredentials() {
    return new UnauthorizedException("wrong username or password");
  }

  private static LockedException locked(String username, Instant until) {
    return new LockedException("account '" + username + "' is locked until " + until
        + " after repeated failed logins; wait, or ask an admin to set a new password");
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
