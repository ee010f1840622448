package io.labloop.simulators.opcua;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/** A plain Milo client, as any third-party OPC UA client would connect to an instrument. */
final class OpcUaTestClient implements AutoCloseable {

  private final OpcUaClient client;

  private OpcUaTestClient(OpcUaClient client) {
    this.client = client;
  }

  static OpcUaTestClient connect(String url) throws Exception {
    return connect(url, SecurityPolicy.None, null, null, 5_000);
  }

  private static final String APP_URI = "urn:labloop:test-client";

  /**
   * One client identity for all tests (made on first use): an RSA key takes a while on a busy
   * machine.
   */
  private static final class Identity {
    static final KeyPair KEY_PAIR;
    static final X509Certificate CERTIFICATE;

    static {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KEY_PAIR = generator.generateKeyPair();
        CERTIFICATE =
            new SelfSignedCertificateBuilder(KEY_PAIR)
                .setCommonName("test client")
                .setApplicationUri(APP_URI)
                .addDnsName("localhost")
                .build();
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  static OpcUaTestClient connect(
      String url, SecurityPolicy policy, String user, String password, long timeoutMillis)
      throws Exception {
    return connect(url, policy, MessageSecurityMode.SignAndEncrypt, user, password, timeoutMillis);
  }

  /** Connects to the endpoint with this policy and mode (mode is ignored for policy None). */
  static OpcUaTestClient connect(
      String url,
      SecurityPolicy policy,
      MessageSecurityMode mode,
      String user,
      String password,
      long timeoutMillis)
      throws Exception {
    String appUri = APP_URI;
    KeyPair keyPair = Identity.KEY_PAIR;
    X509Certificate cert = Identity.CERTIFICATE;
    String discovery = policy == SecurityPolicy.None ? url : url + "/discovery";
    OpcUaClient client =
        OpcUaClient.create(
            discovery,
            (List<EndpointDescription> endpoints) ->
                endpoints.stream()
                    .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()))
                    .filter(e -> policy == SecurityPolicy.None || e.getSecurityMode() == mode)
                    .findFirst(),
            transport -> {},
            config ->
                config
                    .setApplicationName(LocalizedText.english("test client"))
                    .setApplicationUri(appUri)
                    .setKeyPair(keyPair)
                    .setCertificate(cert)
                    .setCertificateChain(new X509Certificate[] {cert})
                    .setCertificateValidator((chain, uri, hosts) -> {})
                    .setRequestTimeout(Unsigned.uint(timeoutMillis))
                    .setIdentityProvider(
                        user == null
                            ? new AnonymousProvider()
                            : new UsernameProvider(user, password)));
    client.connect();
    return new OpcUaTestClient(client);
  }

  CallMethodResult call(String object, String method, Object... inputs) throws Exception {
    Variant[] args = new Variant[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      args[i] = new Variant(inputs[i]);
    }
    return client.call(
            List.of(new CallMethodRequest(NodeId.parse(object), NodeId.parse(method), args)))
        .getResults()[0];
  }

  /** The endpoint the session runs on (its policy and mode). */
  EndpointDescription endpoint() {
    return client.getConfig().getEndpoint();
  }

  Object read(String node) throws Exception {
    return client
        .readValue(0, TimestampsToReturn.Neither, NodeId.parse(node))
        .getValue()
        .getValue();
  }

  Optional<OpcUaClient> raw() {
    return Optional.of(client);
  }

  @Override
  public void close() {
    try {
      client.disconnect();
    } catch (Exception e) {
      // the server may have dropped the session already (a fault under test)
    }
  }
}
