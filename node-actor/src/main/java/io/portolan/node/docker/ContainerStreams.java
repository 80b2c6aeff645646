package io.portolan.node.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The Engine API calls behind pipes: logs, exec with a TTY, inspect, environment, and the archive
 * API for listing a directory and downloading a file. Every method blocks on the calling thread
 * (a pipe's own thread) and writes its output through a {@link Out}, which blocks while the pipe
 * has no credit: a slow client slows the read from the engine, nothing piles up here. A pipe is
 * stopped by closing what {@link Out#hold} was given (the engine response): the blocked read fails
 * and the method returns.
 */
public final class ContainerStreams {

  /** Output chunks are at most this big (below the protocol's frame limit). */
  public static final int CHUNK = 32 * 1024;
  /** A listing stops after this many entries or tar bytes (a directory's tar holds its whole tree). */
  static final int MAX_LIST_ENTRIES = 5_000;
  static final long MAX_LIST_TAR_BYTES = 256L * 1024 * 1024;

  /** Where a pipe's output goes. {@code send} blocks until the pipe has credit; it throws once the pipe is closed. */
  public interface Out {
    void send(String stream, byte[] bytes, int offset, int length) throws IOException;

    /** Closed when the pipe is closed (the engine response being read), so a blocked read returns. */
    void hold(Closeable resource) throws IOException;
  }

  /** A failure with the HTTP status it stands for (404 no such container or file, 400 bad input, 409 state). */
  public static final class PipeException extends RuntimeException {
    private final int status;

    public PipeException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final DockerHttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public ContainerStreams(DockerHttpClient http) {
    this.http = http;
  }

  // ---- logs ------------------------------------------------------------------------------------

  /** args: follow, tail (number or all), since (unix seconds or RFC 3339), timestamps. */
  public void logs(String id, Map<String, String> args, Out out) throws IOException {
    boolean tty = inspectNode(id).path("Config").path("Tty").asBoolean(false);
    StringBuilder path = new StringBuilder("/containers/").append(enc(id)).append("/logs?stdout=1&stderr=1")
        .append("&follow=").append(Boolean.parseBoolean(args.getOrDefault("follow", "false")) ? 1 : 0)
        .append("&timestamps=").append(Boolean.parseBoolean(args.getOrDefault("timestamps", "false")) ? 1 : 0)
        .append("&tail=").append(enc(args.getOrDefault("tail", "all")));
    if (args.containsKey("since")) {
      path.append("&since=").append(enc(args.get("since")));
    }
    DockerHttpClient.Response r = open(DockerHttpClient.Request.Method.GET, path.toString(), null, null);
    out.hold(r);
    try (r; InputStream in = r.getBody()) {
      if (tty) {
        copyRaw(in, "stdout", out);
      } else {
        demux(in, out);
      }
    }
  }

  /** Docker's multiplexed stream: an 8-byte header (stream, 0, 0, 0, big-endian size) per write. Adjacent writes of one stream are coalesced. */
  static void demux(InputStream raw, Out out) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    byte[] header = new byte[8];
    byte[] buf = new byte[CHUNK];
    int filled = 0;
    String bufStream = null;
    while (true) {
      try {
        in.readFully(header);
      } catch (EOFException e) {
        break;
      }
      String stream = header[0] == 2 ? "stderr" : "stdout";
      int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
      if (bufStream != null && (!stream.equals(bufStream) || filled + size > CHUNK)) {
        out.send(bufStream, buf, 0, filled);
        filled = 0;
      }
      bufStream = stream;
      if (size > CHUNK) {
        byte[] big = new byte[CHUNK];
        int left = size;
        while (left > 0) {
          int n = Math.min(left, CHUNK);
          in.readFully(big, 0, n);
          out.send(stream, big, 0, n);
          left -= n;
        }
        bufStream = null;
        continue;
      }
      in.readFully(buf, filled, size);
      filled += size;
      if (in.available() < 8) {
        out.send(bufStream, buf, 0, filled);
        filled = 0;
        bufStream = null;
      }
    }
    if (bufStream != null && filled > 0) {
      out.send(bufStream, buf, 0, filled);
    }
  }

  static void copyRaw(InputStream in, String stream, Out out) throws IOException {
    byte[] buf = new byte[CHUNK];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n > 0) {
        out.send(stream, buf, 0, n);
      }
    }
  }

  // ---- exec ------------------------------------------------------------------------------------

  /** A started exec: its id and the engine's hijacked output. */
  public record Exec(String execId, DockerHttpClient.Response response) {}

  /** Creates and starts {@code cmd} with a TTY, stdin read from {@code stdin}. */
  public Exec exec(String id, List<String> cmd, InputStream stdin) throws IOException {
    ObjectNode create = json.createObjectNode();
    create.put("AttachStdin", true).put("AttachStdout", true).put("AttachStderr", true).put("Tty", true);
    create.putArray("Env").add("TERM=xterm-256color");
    ArrayNode c = create.putArray("Cmd");
    cmd.forEach(c::add);
    JsonNode created = call(DockerHttpClient.Request.Method.POST, "/containers/" + enc(id) + "/exec", create);
    String execId = created.path("Id").asText();
    ObjectNode start = json.createObjectNode().put("Detach", false).put("Tty", true);
    DockerHttpClient.Response r = open(DockerHttpClient.Request.Method.POST, "/exec/" + enc(execId) + "/start",
        start, stdin);
    return new Exec(execId, r);
  }

  public void resizeExec(String execId, int cols, int rows) {
    try (DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.POST)
        .path("/exec/" + enc(execId) + "/resize?h=" + rows + "&w=" + cols).build())) {
      if (r.getStatusCode() >= 300) {
        throw new PipeException(409, "resize answered " + r.getStatusCode() + ": " + body(r));
      }
    }
  }

  /** The exec's state: exit code (null while running) and host pid. */
  public record ExecState(boolean running, Integer exitCode, long pid) {}

  public ExecState execState(String execId) {
    JsonNode s = call(DockerHttpClient.Request.Method.GET, "/exec/" + enc(execId) + "/json", null);
    boolean running = s.path("Running").asBoolean(false);
    return new ExecState(running, running || s.path("ExitCode").isNull() ? null : s.path("ExitCode").asInt(),
        s.path("Pid").asLong(0));
  }

  // ---- inspect / env ---------------------------------------------------------------------------

  public JsonNode inspectNode(String id) {
    return call(DockerHttpClient.Request.Method.GET, "/containers/" + enc(id) + "/json", null);
  }

  /** The inspect document; Config.Env values masked unless {@code unmasked}. */
  public byte[] inspect(String id, boolean unmasked, List<String> secretWords) throws IOException {
    JsonNode node = inspectNode(id);
    if (!unmasked && node.path("Config").path("Env").isArray()) {
      ArrayNode masked = json.createArrayNode();
      for (Env e : env(node, false, secretWords)) {
        masked.add(e.name() + "=" + e.value());
      }
      ((ObjectNode) node.path("Config")).set("Env", masked);
    }
    return json.writeValueAsBytes(node);
  }

  public record Env(String name, String value, boolean masked) {}

  public byte[] envJson(String id, boolean unmasked, List<String> secretWords) throws IOException {
    return json.writeValueAsBytes(Map.of("env", env(inspectNode(id), unmasked, secretWords), "unmasked", unmasked));
  }

  static List<Env> env(JsonNode inspect, boolean unmasked, List<String> secretWords) {
    List<Env> env = new ArrayList<>();
    inspect.path("Config").path("Env").forEach(v -> {
      String kv = v.asText();
      int eq = kv.indexOf('=');
      String name = eq < 0 ? kv : kv.substring(0, eq);
      String value = eq < 0 ? "" : kv.substring(eq + 1);
      boolean secret = EnvMask.isSecret(name, secretWords);
      env.add(new Env(name, secret && !unmasked ? EnvMask.MASK : value, secret && !unmasked));
    });
    return env;
  }

  // ---- files -----------------------------------------------------------------------------------

  public record FileEntry(String name, String type, long size, String mode, String modified, String linkTarget) {}

  /** The directory's entries (or the file itself), from the archive API's tar headers. */
  public byte[] list(String id, String path) throws IOException {
    DockerHttpClient.Response r = open(DockerHttpClient.Request.Method.GET, archivePath(id, path), null, null);
    List<FileEntry> entries = new ArrayList<>();
    boolean truncated = false;
    String self;
    JsonNode stat = stat(r);
    boolean dir = stat != null && (stat.path("mode").asLong() & (1L << 31)) != 0;
    try (r; CountingInputStream counted = new CountingInputStream(r.getBody());
        TarArchiveInputStream tar = new TarArchiveInputStream(counted)) {
      TarArchiveEntry root = tar.getNextEntry();
      if (root == null) {
        return json.writeValueAsBytes(Map.of("path", path, "entries", List.of(), "truncated", false));
      }
      self = trimSlash(root.getName());
      if (!root.isDirectory() && !dir) {
        entries.add(entry(root, baseName(self)));
      } else {
        String prefix = self + "/";
        TarArchiveEntry e;
        Map<String, FileEntry> children = new TreeMap<>();
        while ((e = tar.getNextEntry()) != null) {
          String name = trimSlash(e.getName());
          if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
            children.put(name.substring(prefix.length()), entry(e, name.substring(prefix.length())));
            if (children.size() >= MAX_LIST_ENTRIES) {
              truncated = true;
              break;
            }
          }
          if (counted.count > MAX_LIST_TAR_BYTES) {
            truncated = true;
            break;
          }
        }
        entries.addAll(children.values());
      }
    }
    Map<String, Object> answer = new java.util.LinkedHashMap<>();
    answer.put("path", path);
    answer.put("directory", dir);
    answer.put("entries", entries);
    answer.put("truncated", truncated);
    return json.writeValueAsBytes(answer);
  }

  /** Streams one file's bytes out of the archive API's tar. */
  public void download(String id, String path, Out out) throws IOException {
    DockerHttpClient.Response r = open(DockerHttpClient.Request.Method.GET, archivePath(id, path), null, null);
    out.hold(r);
    try (r; TarArchiveInputStream tar = new TarArchiveInputStream(r.getBody())) {
      TarArchiveEntry e = tar.getNextEntry();
      if (e == null) {
        throw new PipeException(404, "no file '" + path + "' in the container");
      }
      if (e.isDirectory()) {
        throw new PipeException(400, "'" + path + "' is a directory; download files only (list it with /files?path=)");
      }
      if (e.isSymbolicLink()) {
        throw new PipeException(400, "'" + path + "' is a symbolic link to '" + e.getLinkName() + "'; download the target");
      }
      copyRaw(tar, "data", out);
    }
  }

  private static FileEntry entry(TarArchiveEntry e, String name) {
    String type = e.isDirectory() ? "dir" : e.isSymbolicLink() ? "link" : e.isFile() ? "file" : "other";
    return new FileEntry(name, type, e.isDirectory() ? 0 : e.getSize(), String.format("%04o", e.getMode() & 07777),
        e.getModTime() == null ? null : e.getModTime().toInstant().toString(),
        e.isSymbolicLink() ? e.getLinkName() : null);
  }

  private JsonNode stat(DockerHttpClient.Response r) {
    List<String> header = r.getHeaders().getOrDefault("X-Docker-Container-Path-Stat",
        r.getHeaders().getOrDefault("x-docker-container-path-stat", List.of()));
    if (header.isEmpty()) {
      return null;
    }
    try {
      return json.readTree(Base64.getDecoder().decode(header.get(0)));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String archivePath(String id, String path) {
    if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
      throw new PipeException(400, "'path' must be an absolute path in the container, e.g. /etc");
    }
    return "/containers/" + enc(id) + "/archive?path=" + enc(path);
  }

  private static String trimSlash(String s) {
    String t = s.startsWith("./") ? s.substring(2) : s;
    return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private static String baseName(String s) {
    int slash = s.lastIndexOf('/');
    return slash < 0 ? s : s.substring(slash + 1);
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private JsonNode call(DockerHttpClient.Request.Method method, String path, JsonNode body) {
    try (DockerHttpClient.Response r = open(method, path, body, null)) {
      byte[] bytes = r.getBody().readAllBytes();
      return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    } catch (IOException e) {
      throw new PipeException(502, method + " " + path + ": " + e.getMessage());
    }
  }

  /** The response when it is 2xx; otherwise a PipeException with the engine's message. */
  private DockerHttpClient.Response open(DockerHttpClient.Request.Method method, String path, JsonNode body,
      InputStream hijack) {
    DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      b.putHeader("Content-Type", "application/json").body(new java.io.ByteArrayInputStream(body.toString()
          .getBytes(StandardCharsets.UTF_8)));
    }
    if (hijack != null) {
      b.hijackedInput(hijack);
    }
    DockerHttpClient.Response r = http.execute(b.build());
    int code = r.getStatusCode();
    if (code >= 300 && code != 304) {
      String message;
      try (r) {
        message = body(r);
      }
      throw new PipeException(code == 404 ? 404 : code == 400 ? 400 : code == 409 ? 409 : 502, message);
    }
    return r;
  }

  private String body(DockerHttpClient.Response r) {
    try {
      String text = new String(r.getBody().readNBytes(8192), StandardCharsets.UTF_8);
      try {
        return json.readTree(text).path("message").asText(text).strip();
      } catch (IOException e) {
        return text.strip();
      }
    } catch (IOException e) {
      return "engine answered " + r.getStatusCode();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static final class CountingInputStream extends java.io.FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }

}
