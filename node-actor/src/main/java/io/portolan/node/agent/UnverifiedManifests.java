package io.portolan.node.agent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The standalone agent's class loader for its ActorSystem: the application class loader, except that the
 * jars' {@code META-INF/MANIFEST.MF} are read without verifying the jar's signature.
 *
 * <p>Why: Pekko's start-up version check ({@code ManifestInfo}, run by every ActorSystem whatever
 * {@code pekko.fail-mixed-versions} says; the setting only picks between failing and warning) reads the
 * manifest of every jar on the class path through its system's class loader. Reading an entry of a signed
 * jar (Bouncy Castle's, which docker-java and the Kubernetes client need for PEM keys) through a
 * {@code jar:} URL makes the JDK verify the jar's signature first: PKCS#7, X.509 and the security
 * providers, ~150 classes that the agent otherwise never loads. The version check only reads the
 * manifests' main attributes, which a signature does not change, so it sees exactly what it saw before.
 *
 * <p>Classes and every other resource come from the parent unchanged; a class loaded from a signed jar
 * (when the Kubernetes watcher or a TLS Docker host needs Bouncy Castle) is still verified by the JDK.
 */
final class UnverifiedManifests extends ClassLoader {

  static final String MANIFEST = JarFile.MANIFEST_NAME;

  static {
    registerAsParallelCapable();
  }

  UnverifiedManifests(ClassLoader parent) {
    super("portolan-agent", parent);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    Enumeration<URL> urls = super.getResources(name);
    if (!MANIFEST.equals(name)) {
      return urls;
    }
    List<URL> out = new ArrayList<>();
    while (urls.hasMoreElements()) {
      URL url = urls.nextElement();
      out.add("jar".equals(url.getProtocol()) ? new URL("jar", "", -1, url.getFile(), new Handler()) : url);
    }
    return Collections.enumeration(out);
  }

  /** Opens {@code jar:file:...!/entry} by reading the entry from the jar opened without verification. */
  private static final class Handler extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      return new JarURLConnection(url) {
        private byte[] bytes;

        @Override
        public void connect() throws IOException {
          if (bytes != null) {
            return;
          }
          URL file = getJarFileURL();
          if (!"file".equals(file.getProtocol())) {
            throw new IOException("not a local jar: " + file);
          }
          try (JarFile jar = new JarFile(new java.io.File(java.net.URI.create(file.toString())), false)) {
            ZipEntry entry = jar.getEntry(getEntryName());
            if (entry == null) {
              throw new java.io.FileNotFoundException(getEntryName() + " in " + file);
            }
            try (InputStream in = jar.getInputStream(entry)) {
              bytes = in.readAllBytes();
            }
          }
          connected = true;
        }

        @Override
        public JarFile getJarFile() throws IOException {
          throw new IOException("only the entry can be read: " + getURL());
        }

        @Override
        public InputStream getInputStream() throws IOException {
          connect();
          return new ByteArrayInputStream(bytes);
        }
      };
    }
  }
}
