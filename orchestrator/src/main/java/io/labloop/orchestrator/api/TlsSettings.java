package io.labloop.orchestrator.api;

import java.nio.file.Path;

/**
 * A keystore (PKCS#12 or JKS) holding the daemon's certificate and key; with it the API speaks
 * HTTPS only. The password is kept out of {@link #toString()} so that it never reaches a log.
 */
public record TlsSettings(Path keystore, String password) {
  @Override
  public String toString() {
    return "TlsSettings[keystore=" + keystore + ", password=***]";
  }
}
