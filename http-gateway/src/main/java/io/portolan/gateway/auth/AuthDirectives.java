package io.portolan.gateway.auth;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.access.TokenEntity;
import io.portolan.gateway.http.ForbiddenException;
import io.portolan.gateway.http.UnauthorizedException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Every protected route goes through {@link #authorized}: the credential is the {@code Authorization:
 * Bearer} header or the session cookie; no credential → 401, too small a role → 403. Agent tokens
 * are only good for the agent endpoint, never for the user API.
 */
public final class AuthDirectives extends AllDirectives {

  public static final String SESSION_COOKIE = "portolan_session";

  private final Authenticator authenticator;

  public AuthDirectives(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** The presented token (bearer header first, then the session cookie) and whom it names. */
  public Route authenticated(Function<Principal, Route> inner) {
    return presentedToken(token -> {
      if (token.isEmpty()) {
        throw new UnauthorizedException("log in first: POST /api/auth/login, then send the token as"
            + " 'Authorization: Bearer <token>' or keep the session cookie");
      }
      return onSuccess(authenticator.authenticate(token.get()), principal -> inner.apply(principal.orElseThrow(
          () -> new UnauthorizedException("the token is not valid, has expired or was revoked; log in again"))));
    });
  }

  /** Like {@link #authenticated}, and the caller's role must include {@code required}. */
  public Route authorized(Role required, Function<Principal, Route> inner) {
    return authenticated(principal -> {
      if (principal.kind() == TokenEntity.Kind.AGENT) {
        throw new ForbiddenException("agent tokens are only accepted on the agent endpoint");
      }
      if (!principal.role().includes(required)) {
        throw new ForbiddenException("this needs the " + required.name().toLowerCase(Locale.ROOT) + " role; '"
            + principal.name() + "' is " + principal.role().name().toLowerCase(Locale.ROOT));
      }
      return inner.apply(principal);
    });
  }

  /** The token of the request, if any: bearer header first, then the session cookie. */
  public Route presentedToken(Function<Optional<String>, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> optionalCookie(SESSION_COOKIE, cookie -> {
      Optional<String> bearer = header
          .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(h -> h.substring(7).trim());
      return inner.apply(bearer.isPresent() ? bearer : cookie.map(c -> c.value()));
    }));
  }

  public Authenticator authenticator() {
    return authenticator;
  }
}
