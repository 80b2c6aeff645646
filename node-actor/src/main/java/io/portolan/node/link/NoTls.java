package io.portolan.node.link;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that refuses every use, for clients that insist on a context although they only
 * speak plain text: the JDK HTTP client on {@code ws://} and docker-java's transport on a unix socket.
 * Without a context of their own both build the JVM's default one when they are created: the JDK's TLS
 * stack and security providers (~500 classes, 3-4 MB of class metadata) and the parsed default trust store
 * (~140 certificates, ~0.6 MB of live heap), which the agent then never uses.
 */
public final class NoTls extends SSLContextSpi {

  public static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") {};

  private NoTls() {}

  private static UnsupportedOperationException refused() {
    return new UnsupportedOperationException("TLS is not set up for this connection (plain ws:// or unix socket)");
  }

  @Override
  protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
    throw refused();
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    throw refused();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    throw refused();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    throw refused();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    throw refused();
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    throw refused();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    throw refused();
  }
}
