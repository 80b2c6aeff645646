package io.portolan.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.portolan.gateway.testing.HttpCalls;
import io.portolan.gateway.testing.HttpCalls.Reply;
import io.portolan.gateway.testing.TestNode;
import io.portolan.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Users, roles, sessions, API tokens, lockout, rate limit and the audit log on a real node and Cassandra. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {

  private static final String KEYSPACE = TestCassandra.uniqueKeyspace("auth");
  private static final com.typesafe.config.Config LIMITS = ConfigFactory.parseMap(Map.of(
      "portolan.auth.login-attempts-per-minute", 40,
      "portolan.auth.lockout-failures", 3));

  private static TestNode node;
  private static HttpCalls.Client admin;
  private static String base;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestCassandra.shared(), KEYSPACE, LIMITS);
    base = node.baseUri();
    admin = node.admin();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  @Order(1)
  void loginGivesATokenAndAnHttpOnlySessionCookie() {
    Reply login = HttpCalls.post(base + "/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}");
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().get("token").asText()).startsWith("ptk_");
    assertThat(login.json().get("role").asText()).isEqualTo("ADMIN");
    String cookie = login.headers().get("set-cookie").get(0);
    assertThat(cookie).startsWith(AuthDirectives.SESSION_COOKIE + "=ptk_").contains("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/");

    Reply me = HttpCalls.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/auth/me"))
        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).GET());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("name").asText()).isEqualTo("admin");
  }

  @Test
  @Order(2)
  void noTokenIs401AndEveryRoleGetsOnlyWhatItMay() {
    for (Reply anonymous : List.of(HttpCalls.get(base + "/api/auth/me"), HttpCalls.get(base + "/api/audit"),
        HttpCalls.post(base + "/api/users", "{}"), HttpCalls.post(base + "/api/tokens", "{}"),
        HttpCalls.get(base + "/api/cluster"))) {
      assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(401);
      assertThat(anonymous.json().get("error").asText()).contains("log in");
      assertThat(anonymous.headers().get("www-authenticate")).isNotNull();
    }
    createUser("olivia", "operator-pass", "operator");
    createUser("victor", "viewer-pass1", "viewer");
    HttpCalls.Client viewer = HttpCalls.login(base, "victor", "viewer-pass1");
    HttpCalls.Client operator = HttpCalls.login(base, "olivia", "operator-pass");

    assertThat(viewer.get(base + "/api/cluster").status()).isEqualTo(200);
    for (Reply denied : List.of(viewer.get(base + "/api/audit"), operator.get(base + "/api/audit"),
        viewer.post(base + "/api/users", "{\"username\":\"x\",\"password\":\"xxxxxxxxx\",\"role\":\"admin\"}"),
        operator.put(base + "/api/users/victor/role", "{\"role\":\"admin\"}"),
        viewer.put(base + "/api/agents/a1", "{\"hostname\":\"a1.example\"}"),
        viewer.post(base + "/api/tokens", "{\"name\":\"escalate\",\"role\":\"admin\"}"),
        viewer.put(base + "/api/users/olivia/password", "{\"password\":\"hijacked-pass\"}"))) {
      assertThat(denied.status()).as(denied.body()).isEqualTo(403);
    }
    // A user may change their own password.
    assertThat(viewer.put(base + "/api/users/victor/password", "{\"password\":\"viewer-pass2\"}").status()).isEqualTo(200);
    assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":\"victor\",\"password\":\"viewer-pass1\"}").status())
        .isEqualTo(401);
    HttpCalls.login(base, "victor", "viewer-pass2");
  }

  @Test
  @Order(3)
  void badInputToAuthRoutesIs400WithAReason() {
    assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":").json().get("error").asText()).contains("not valid JSON");
    assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":\"Not Valid\",\"password\":\"x\"}").status()).isEqualTo(400);
    Reply role = admin.post(base + "/api/users", "{\"username\":\"zed\",\"password\":\"long-enough\",\"role\":\"king\"}");
    assertThat(role.status()).isEqualTo(400);
    assertThat(role.json().get("error").asText()).contains("one of viewer, operator, admin");
    Reply weak = admin.post(base + "/api/users", "{\"username\":\"zed\",\"password\":\"short\",\"role\":\"viewer\"}");
    assertThat(weak.json().get("error").asText()).contains("at least 8 characters");
    assertThat(admin.post(base + "/api/users", "{\"username\":\"olivia\",\"password\":\"long-enough\",\"role\":\"viewer\"}")
        .json().get("error").asText()).contains("already exists");
    assertThat(admin.get(base + "/api/audit?from=yesterday").json().get("error").asText()).contains("ISO-8601");
  }

  @Test
  @Order(4)
  void apiTokensWorkUntilRevokedAndLogoutEndsTheSession() {
    Reply created = admin.post(base + "/api/tokens", "{\"name\":\"ci\",\"role\":\"viewer\",\"expiresInDays\":7}");
    assertThat(created.status()).isEqualTo(201);
    String token = created.json().get("token").asText();
    String id = created.json().at("/info/id").asText();
    HttpCalls.Client ci = new HttpCalls.Client(token);
    JsonNode me = ci.get(base + "/api/auth/me").json();
    assertThat(me.get("role").asText()).isEqualTo("VIEWER");
    assertThat(ci.get(base + "/api/audit").status()).isEqualTo(403);

    assertThat(admin.delete(base + "/api/tokens/" + id).json().get("revoked").asBoolean()).isTrue();
    assertThat(ci.get(base + "/api/auth/me").status()).isEqualTo(401);

    HttpCalls.Client session = HttpCalls.login(base, "olivia", "operator-pass");
    assertThat(session.post(base + "/api/auth/logout", "").status()).isEqualTo(200);
    assertThat(session.get(base + "/api/auth/me").status()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void repeatedWrongPasswordsLockTheAccount() {
    createUser("mallory", "right-password", "viewer");
    for (int i = 0; i < 2; i++) {
      assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":\"mallory\",\"password\":\"guess-" + i + "\"}").status())
          .isEqualTo(401);
    }
    Reply third = HttpCalls.post(base + "/api/auth/login", "{\"username\":\"mallory\",\"password\":\"guess-3\"}");
    assertThat(third.status()).isEqualTo(423);
    assertThat(third.json().get("error").asText()).contains("locked until");
    Reply right = HttpCalls.post(base + "/api/auth/login", "{\"username\":\"mallory\",\"password\":\"right-password\"}");
    assertThat(right.status()).as("locked even with the right password").isEqualTo(423);
    // Others are not affected.
    HttpCalls.login(base, "olivia", "operator-pass");
  }

  @Test
  @Order(6)
  void everyAuthEventIsInTheAuditLogAsJsonAndCsvAndSurvivesARestart() {
    JsonNode events = awaitAudit(admin, "user=mallory").get("events");
    assertThat(events.findValuesAsText("outcome")).contains("failed", "denied");
    JsonNode all = admin.get(base + "/api/audit?limit=1000").json().get("events");
    assertThat(all.findValuesAsText("action"))
        .contains("login", "logout", "user.create", "user.password", "token.create", "token.revoke");
    Reply csv = admin.get(base + "/api/audit?user=admin&format=csv");
    assertThat(csv.headers().get("content-type").get(0)).startsWith("text/csv");
    assertThat(csv.headers().get("content-disposition").get(0)).contains("attachment");
    assertThat(csv.body().lines().findFirst().orElseThrow()).contains("actor").contains("action").contains("target");
    assertThat(csv.body().lines().count()).isGreaterThan(2);

    node.close();
    node = TestNode.start(TestCassandra.shared(), KEYSPACE, LIMITS);
    base = node.baseUri();
    admin = node.admin();
    JsonNode afterRestart = admin.get(base + "/api/audit?user=mallory").json().get("events");
    assertThat(afterRestart.size()).isEqualTo(events.size());
  }

  @Test
  @Order(7)
  void loginsAreRateLimitedPerClientAddress() {
    int status = 0;
    for (int i = 0; i < 45 && status != 429; i++) {
      status = HttpCalls.post(base + "/api/auth/login", "{\"username\":\"nobody\",\"password\":\"whatever-it-is\"}").status();
    }
    assertThat(status).isEqualTo(429);
    assertThat(HttpCalls.post(base + "/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestNode.ADMIN_PASSWORD + "\"}")
        .json().get("error").asText()).contains("too many login attempts");
  }

  private static void createUser(String name, String password, String role) {
    Reply reply = admin.post(base + "/api/users",
        "{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
  }

  private static JsonNode awaitAudit(HttpCalls.Client client, String query) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = client.get(base + "/api/audit?" + query).json();
      if (last.get("count").asInt() >= 4) {
        return last;
      }
      HttpCalls.sleep(200);
    }
    throw new AssertionError("audit events did not arrive: " + last);
  }
}
