package io.labloop.drivers.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.labloop.common.Threads;
import io.labloop.drivers.InstrumentStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA session shared by the instruments on one server (same endpoint, security, user).
 *
 * <p>The first {@link #client()} discovers the endpoints, picks the one with the configured
 * security policy and mode, and connects. If that fails, the next call tries again from scratch
 * (re-reading the trust list, so a certificate the engineer just trusted is taken). Once connected,
 * Milo keeps the session alive and reconnects it after a loss by itself; this class only relays
 * session up/down to the instruments' status.
 */
final class OpcUaConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpcUaConnection.class);

  /** Connection changes, relayed to each instrument's own status. */
  interface Listener {
    void online();

    void offline(InstrumentStatus.ReasonKind kind, String reason);

    /**
     * Connecting failed for a reason retrying will not fix (untrusted certificate, wrong password).
     */
    void error(InstrumentStatus.ReasonKind kind, String reason);
  }

  /** A connection failure; {@code permanent} when only the engineer can fix it. */
  static final class ConnectFailure extends Exception {
    final InstrumentStatus.ReasonKind kind;
    final boolean permanent;

    ConnectFailure(String message, InstrumentStatus.ReasonKind kind, Throwable cause) {
      super(message, cause);
      this.kind = kind;
      this.permanent =
          kind != InstrumentStatus.ReasonKind.BRIDGE_DOWN
              && kind != InstrumentStatus.ReasonKind.COMMUNICATION;
    }
  }

  private final OpcUaSettings settings;
  private final ExecutorService connector;
  private final ExecutorService blocking;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private CompletableFuture<OpcUaClient> client;
  private volatile boolean sessionActive;
  private volatile boolean closing;

  OpcUaConnection(OpcUaSettings settings) {
    this.settings = settings;
    this.connector =
        Executors.newSingleThreadExecutor(Threads.daemon("opcua-connect " + settings.endpoint()));
    // Milo's subscription set-up is blocking; it runs here, never on the caller's or Milo's
    // threads.
    this.blocking =
        Executors.newCachedThreadPool(Threads.daemon("opcua-wait " + settings.endpoint()));
  }

  ExecutorService blocking() {
    return blocking;
  }

  void addListener(Listener l) {
    listeners.add(l);
    if (sessionActive) l.online();
  }

  void removeListener(Listener l) {
    listeners.remove(l);
  }

  boolean isActive() {
    return sessionActive;
  }

  /** The connected client; connects on first use and after a failed attempt. */
  synchronized CompletableFuture<OpcUaClient> client() {
    if (client == null || client.isCompletedExceptionally()) {
      client =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return connectNow();
                } catch (ConnectFailure f) {
                  for (Listener l : listeners) {
                    if (f.permanent) l.error(f.kind, f.getMessage());
                    else l.offline(f.kind, f.getMessage());
                  }
                  throw new CompletionException(f);
                }
              },
              connector);
    }
    return client;
  }

  private OpcUaClient connectNow() throws ConnectFailure {
    OpcUaSettings.Security sec = settings.security();
    OpcUaPki.TrustingValidator validator = null;
    OpcUaPki.Identity identity = null;
    try {
      if (!sec.none() || sec.username().isPresent()) validator = OpcUaPki.validator(sec.trustDir());
      if (!sec.none()) identity = OpcUaPki.identity(sec.trustDir());
    } catch (Exception e) {
      throw new ConnectFailure(
          "cannot prepare the OPC UA certificates in " + sec.trustDir() + ": " + e.getMessage(),
          InstrumentStatus.ReasonKind.CONFIGURATION,
          e);
    }
    String wantedPolicy = policy(sec.policy()).getUri();
    MessageSecurityMode wantedMode = MessageSecurityMode.valueOf(sec.mode());
    var offered = new java.util.concurrent.atomic.AtomicReference<List<EndpointDescription>>();
    OpcUaPki.TrustingValidator v = validator;
    OpcUaPki.Identity id = identity;
    OpcUaClient c;
    try {
      c =
          OpcUaClient.create(
              settings.endpoint(),
              endpoints -> {
                offered.set(endpoints);
                return endpoints.stream()
                    .filter(
                        e ->
                            wantedPolicy.equals(e.getSecurityPolicyUri())
                                && e.getSecurityMode() == wantedMode)
                    .findFirst()
                    // Servers often advertise a host name the client cannot resolve; keep the
                    // configured host and port.
                    .map(
                        e ->
                            EndpointUtil.updateUrl(
                                e,
                                EndpointUtil.getHost(settings.endpoint()),
                                EndpointUtil.getPort(settings.endpoint())));
              },
              transport -> {},
              cfg -> {
                cfg.setApplicationName(LocalizedText.english("LabLoop"))
                    .setApplicationUri(OpcUaPki.APPLICATION_URI)
                    .setProductUri("urn:io.labloop")
                    .setRequestTimeout(uint(60_000));
                if (sec.username().isPresent()) {
                  cfg.setIdentityProvider(
                      new UsernameProvider(sec.username().get(), sec.password().orElse(""), v));
                } else {
                  cfg.setIdentityProvider(new AnonymousProvider());
                }
                if (id != null) {
                  cfg.setKeyPair(id.keyPair())
                      .setCertificate(id.certificate())
                      .setCertificateChain(
                          new java.security.cert.X509Certificate[] {id.certificate()});
                }
                if (v != null) cfg.setCertificateValidator(v);
              });
    } catch (UaException e) {
      if (offered.get() != null) {
        String available =
            offered.get().stream()
                .map(
                    e2 ->
                        SecurityPolicy.fromUriSafe(e2.getSecurityPolicyUri())
                                .map(Enum::name)
                                .orElse(e2.getSecurityPolicyUri())
                            + "/"
                            + e2.getSecurityMode())
                .distinct()
                .collect(Collectors.joining(", "));
        throw new ConnectFailure(
            "the server at "
                + settings.endpoint()
                + " offers no endpoint with security "
                + sec.policy()
                + "/"
                + sec.mode()
                + " (it offers "
                + available
                + ")",
            InstrumentStatus.ReasonKind.CONFIGURATION,
            e);
      }
      throw new ConnectFailure(
          "cannot reach " + settings.endpoint() + ": " + e.getMessage(),
          InstrumentStatus.ReasonKind.BRIDGE_DOWN,
          e);
    }
    c.addSessionActivityListener(
        new SessionActivityListener() {
          @Override
          public void onSessionActive(UaSession session) {
            if (!sessionActive) log.info("OPC UA session to {} active", settings.endpoint());
            sessionActive = true;
            listeners.forEach(Listener::online);
          }

          @Override
          public void onSessionInactive(UaSession session) {
            sessionActive = false;
            if (closing) return;
            log.warn("OPC UA session to {} lost; reconnecting", settings.endpoint());
            listeners.forEach(
                l ->
                    l.offline(
                        InstrumentStatus.ReasonKind.BRIDGE_DOWN,
                        "session to " + settings.endpoint() + " lost; reconnecting"));
          }
        });
    try {
      c.connect();
      return c;
    } catch (UaException e) {
      disconnectQuietly(c);
      throw classify(e, v, id);
    }
  }

  private ConnectFailure classify(
      UaException e, OpcUaPki.TrustingValidator validator, OpcUaPki.Identity identity) {
    StatusCode code = e.getStatusCode();
    Optional<String> refusal = validator == null ? Optional.empty() : validator.lastRefusal();
    if (refusal.isPresent() && code.isSecurityError())
      return new ConnectFailure(
          refusal.get(), InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE, e);
    long v = code.getValue();
    if (v == StatusCodes.Bad_UserAccessDenied
        || v == StatusCodes.Bad_IdentityTokenRejected
        || v == StatusCodes.Bad_IdentityTokenInvalid) {
      return new ConnectFailure(
          "the server at "
              + settings.endpoint()
              + " did not accept user '"
              + settings.security().username().orElse("anonymous")
              + "' ("
              + OpcUaValues.describe(code)
              + "); check username and password",
          InstrumentStatus.ReasonKind.CONFIGURATION,
          e);
    }
    if (code.isSecurityError()) {
      // We trusted the server, so the refusal is the server's: most often it keeps a trust list
      // that does not hold LabLoop's certificate yet. Name the file to give its administrator
      // (the certificate alone, never the key store) and its thumbprint to check it by.
      String certificate =
          identity == null
              ? ""
              : " "
                  + OpcUaPki.certificateFile(settings.security().trustDir())
                  + " (SHA-1 "
                  + OpcUaPki.thumbprint(identity.certificate())
                  + ")";
      return new ConnectFailure(
          "the server at "
              + settings.endpoint()
              + " refused the secure connection ("
              + OpcUaValues.describe(code)
              + "): it does not trust LabLoop's client certificate yet. Add"
              + certificate
              + " to the server's trusted client certificates (its administrator knows where), then connect again",
          InstrumentStatus.ReasonKind.UNTRUSTED_CERTIFICATE,
          e);
    }
    return new ConnectFailure(
        "cannot connect to " + settings.endpoint() + ": " + e.getMessage(),
        InstrumentStatus.ReasonKind.BRIDGE_DOWN,
        e);
  }

  private static SecurityPolicy policy(String name) {
    return switch (name) {
      case "Basic256Sha256" -> SecurityPolicy.Basic256Sha256;
      case "Aes128_Sha256_RsaOaep" -> SecurityPolicy.Aes128_Sha256_RsaOaep;
      default -> SecurityPolicy.None;
    };
  }

  private static void disconnectQuietly(OpcUaClient c) {
    try {
      c.disconnect();
    } catch (Exception e) {
      log.debug("disconnect failed", e);
    }
  }

  @Override
  public void close() {
    closing = true;
    CompletableFuture<OpcUaClient> c;
    synchronized (this) {
      c = client;
      client = null;
    }
    if (c != null && c.isDone() && !c.isCompletedExceptionally()) disconnectQuietly(c.join());
    connector.shutdownNow();
    blocking.shutdownNow();
  }
}
