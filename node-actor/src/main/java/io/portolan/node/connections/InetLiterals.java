package io.portolan.node.connections;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Address decoding without ever touching DNS. Throws IllegalArgumentException on bad input. */
final class InetLiterals {

  private InetLiterals() {}

  /**
   * The address columns of {@code /proc/net/tcp*}: 8 or 32 hex digits, i.e. one or four 32-bit words
   * each printed in host byte order. Assumes a little-endian host (x86-64, arm64); on big-endian
   * machines the words would not need swapping. IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) comes back
   * as an {@link java.net.Inet4Address}, as Java does for every such address, so one endpoint looks the
   * same in {@code tcp} and {@code tcp6}.
   */
  static InetAddress fromProcHex(String hex) {
    if ((hex.length() != 8 && hex.length() != 32) || !isHex(hex)) {
      throw new IllegalArgumentException("address must have 8 or 32 hex digits: " + hex);
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + i) * 2;
        // byte i of the little-endian word is network byte 3 - i
        bytes[word * 4 + 3 - i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return byAddress(bytes);
  }

  /** Only [0-9a-fA-F]: Integer.parseInt(s, 16) alone would also take a sign. */
  static boolean isHex(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
  }

  /**
   * Addresses parsed from conntrack, by their text. A host's conntrack table holds thousands of flows between a
   * few dozen addresses (2,200 flows, 40 addresses in the benchmark), re-read every 5 s: without this the parser
   * made and kept one InetAddress pair per flow (~9,500 objects, 0.5 MB of live heap). InetAddress is immutable;
   * the cache is cleared when it exceeds {@link #CACHE_MAX}, so it stays bounded on any host.
   */
  private static final Map<String, InetAddress> CACHE = new ConcurrentHashMap<>();
  static final int CACHE_MAX = 4096;

  /** A textual IPv4 or IPv6 literal as conntrack prints it; never a host name. */
  static InetAddress fromLiteral(String s) {
    InetAddress cached = CACHE.get(s);
    if (cached != null) {
      return cached;
    }
    InetAddress parsed = parseLiteral(s);
    if (CACHE.size() >= CACHE_MAX) {
      CACHE.clear();
    }
    CACHE.put(s, parsed);
    return parsed;
  }

  static int cacheSize() {
    return CACHE.size();
  }

  private static InetAddress parseLiteral(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty address");
    }
    if (s.indexOf(':') < 0) {
      // dotted quad, parsed in place: four groups of 1-3 decimal digits, each at most 255
      byte[] bytes = new byte[4];
      int part = 0;
      int value = 0;
      int digits = 0;
      for (int i = 0; i <= s.length(); i++) {
        char c = i < s.length() ? s.charAt(i) : '.';
        if (c >= '0' && c <= '9') {
          value = value * 10 + (c - '0');
          if (++digits > 3) {
            throw new IllegalArgumentException("not an IPv4 literal: " + s);
          }
        } else if (c == '.' && digits > 0 && value <= 255 && part < 4) {
          bytes[part++] = (byte) value;
          value = 0;
          digits = 0;
        } else {
          throw new IllegalArgumentException("not an IPv4 literal: " + s);
        }
      }
      if (part != 4) {
        throw new IllegalArgumentException("not an IPv4 literal: " + s);
      }
      return byAddress(bytes);
    }
    // With a ':' in it and starting with a hex digit or ':', InetAddress parses it as an IPv6 literal
    // and fails rather than resolving; the character check keeps it that way.
    char c0 = s.charAt(0);
    if (!(c0 == ':' || Character.digit(c0, 16) >= 0)
        || !s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not an IPv6 literal: " + s);
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 literal: " + s, e);
    }
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e); // only for a wrong length, excluded above
    }
  }
}
