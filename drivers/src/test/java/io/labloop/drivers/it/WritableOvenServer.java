package io.labloop.drivers.it;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilters;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A bare Milo server for the one command form the virtual lab cannot serve (its variables are
 * read-only): an oven driven by writing a setpoint and a Start flag. Writing Start = true makes
 * State Busy at once; 200 ms later Reached holds the setpoint and State is Idle again.
 */
final class WritableOvenServer implements AutoCloseable {

  private final OpcUaServer server;
  private final ScheduledExecutorService oven = Executors.newSingleThreadScheduledExecutor();
  final String endpoint;
  volatile int starts;

  /** Where the oven's nodes live: "ns=N;s=Oven." */
  final String prefix;

  WritableOvenServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    endpoint = "opc.tcp://127.0.0.1:" + port + "/oven";
    EndpointConfig none =
        EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress("127.0.0.1")
            .setHostname("127.0.0.1")
            .setBindPort(port)
            .setPath("/oven")
            .setSecurityPolicy(SecurityPolicy.None)
            .setSecurityMode(MessageSecurityMode.None)
            .addTokenPolicies(USER_TOKEN_POLICY_ANONYMOUS)
            .build();
    OpcUaServerConfig config =
        OpcUaServerConfig.builder()
            .setApplicationUri("urn:labloop:test:oven")
            .setApplicationName(LocalizedText.english("test oven"))
            .setProductUri("urn:labloop:test")
            .setEndpoints(Set.of(none))
            .setCertificateManager(
                new DefaultCertificateManager(new MemoryCertificateQuarantine(), List.of()))
            .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
            .build();
    server =
        new OpcUaServer(
            config,
            profile -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
    OvenNamespace namespace = new OvenNamespace(server);
    namespace.startup();
    prefix = "ns=" + namespace.getNamespaceIndex() + ";s=Oven.";
    server.startup().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
  }

  private final class OvenNamespace extends ManagedNamespaceWithLifecycle {
    private final SubscriptionModel subscriptions;

    OvenNamespace(OpcUaServer server) {
      super(server, "urn:labloop:test:oven");
      subscriptions = new SubscriptionModel(server, this);
      getLifecycleManager().addLifecycle(subscriptions);
      getLifecycleManager().addStartupTask(this::build);
    }

    private UaVariableNode variable(String id, NodeId type, Object initial) {
      UaVariableNode node =
          UaVariableNode.builder(getNodeContext())
              .setNodeId(newNodeId(id))
              .setBrowseName(newQualifiedName(id))
              .setDisplayName(LocalizedText.english(id))
              .setDataType(type)
              .setAccessLevel(AccessLevel.READ_WRITE)
              .setUserAccessLevel(AccessLevel.READ_WRITE)
              .setTypeDefinition(NodeIds.BaseDataVariableType)
              .build();
      node.setValue(new DataValue(new Variant(initial)));
      getNodeManager().addNode(node);
      return node;
    }

    private void build() {
      UaVariableNode setpoint = variable("Oven.Setpoint", NodeIds.Double, 20.0);
      UaVariableNode state = variable("Oven.State", NodeIds.String, "Idle");
      UaVariableNode reached = variable("Oven.Reached", NodeIds.Double, 20.0);
      UaVariableNode start = variable("Oven.Start", NodeIds.Boolean, false);
      start
          .getFilterChain()
          .addLast(
              AttributeFilters.setValue(
                  (ctx, value) -> {
                    // Pass the write on down the chain (node.setValue here would come back through
                    // this filter).
                    ctx.setAttribute(org.eclipse.milo.opcua.stack.core.AttributeId.Value, value);
                    if (Boolean.TRUE.equals(value.getValue().getValue())) {
                      starts++;
                      state.setValue(new DataValue(new Variant("Busy")));
                      Object target = setpoint.getValue().getValue().getValue();
                      oven.schedule(
                          () -> {
                            reached.setValue(new DataValue(new Variant(target)));
                            state.setValue(new DataValue(new Variant("Idle")));
                          },
                          200,
                          TimeUnit.MILLISECONDS);
                    }
                  }));
    }

    @Override
    public void onDataItemsCreated(List<DataItem> items) {
      subscriptions.onDataItemsCreated(items);
    }

    @Override
    public void onDataItemsModified(List<DataItem> items) {
      subscriptions.onDataItemsModified(items);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> items) {
      subscriptions.onDataItemsDeleted(items);
    }

    @Override
    public void onMonitoringModeChanged(
        List<org.eclipse.milo.opcua.sdk.server.items.MonitoredItem> items) {
      subscriptions.onMonitoringModeChanged(items);
    }
  }

  @Override
  public void close() throws Exception {
    oven.shutdownNow();
    server.shutdown().get(10, TimeUnit.SECONDS);
  }
}
