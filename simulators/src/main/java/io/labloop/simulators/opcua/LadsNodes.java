package io.labloop.simulators.opcua;

import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.UaNodeManager;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;

/**
 * Builds the nodes of the LADS address space (objects, variables, properties, methods with a body)
 * and links each to its parent, so that {@link LadsNamespace} reads as the shape of the device
 * rather than as Milo's builders.
 */
final class LadsNodes {

  private final UaNodeContext context;
  private final UaNodeManager nodeManager;
  private final Function<String, NodeId> nodeIds;

  LadsNodes(UaNodeContext context, UaNodeManager nodeManager, Function<String, NodeId> nodeIds) {
    this.context = context;
    this.nodeManager = nodeManager;
    this.nodeIds = nodeIds;
  }

  UaObjectNode object(UaNode parent, String id, QualifiedName name) {
    UaObjectNode node =
        new UaObjectNode.UaObjectNodeBuilder(context)
            .setNodeId(nodeIds.apply(id))
            .setBrowseName(name)
            .setDisplayName(LocalizedText.english(name.name()))
            .setTypeDefinition(NodeIds.BaseObjectType)
            .build();
    nodeManager.addNode(node);
    if (parent != null)
      parent.addReference(
          new Reference(
              parent.getNodeId(), NodeIds.HasComponent, node.getNodeId().expanded(), true));
    return node;
  }

  UaVariableNode variable(
      UaNode parent, String id, QualifiedName name, Object value, NodeId dataType) {
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(context)
            .setNodeId(nodeIds.apply(id))
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .setBrowseName(name)
            .setDisplayName(LocalizedText.english(name.name()))
            .setDataType(dataType)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .build();
    node.setValue(new DataValue(new Variant(value)));
    nodeManager.addNode(node);
    parent.addReference(
        new Reference(parent.getNodeId(), NodeIds.HasComponent, node.getNodeId().expanded(), true));
    return node;
  }

  void property(UaNode parent, String id, QualifiedName name, Object value) {
    NodeId type =
        value instanceof LocalizedText
            ? NodeIds.LocalizedText
            : value instanceof DateTime
                ? NodeIds.DateTime
                : value instanceof ULong ? NodeIds.UInt64 : NodeIds.String;
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(context)
            .setNodeId(nodeIds.apply(id))
            .setAccessLevel(AccessLevel.READ_ONLY)
            .setUserAccessLevel(AccessLevel.READ_ONLY)
            .setBrowseName(name)
            .setDisplayName(LocalizedText.english(name.name()))
            .setDataType(type)
            .setTypeDefinition(NodeIds.PropertyType)
            .build();
    node.setValue(new DataValue(new Variant(value)));
    nodeManager.addNode(node);
    parent.addReference(
        new Reference(parent.getNodeId(), NodeIds.HasProperty, node.getNodeId().expanded(), true));
  }

  /** A method body: inputs to outputs, or a UaException whose status the client gets. */
  @FunctionalInterface
  interface Body {
    Variant[] call(Variant[] inputs) throws UaException;
  }

  void method(
      UaNode parent, String id, QualifiedName name, Argument[] in, Argument[] out, Body body) {
    UaMethodNode method =
        UaMethodNode.builder(context)
            .setNodeId(nodeIds.apply(id))
            .setBrowseName(name)
            .setDisplayName(LocalizedText.english(name.name()))
            .build();
    AbstractMethodInvocationHandler handler =
        new AbstractMethodInvocationHandler(method) {
          @Override
          public Argument[] getInputArguments() {
            return in;
          }

          @Override
          public Argument[] getOutputArguments() {
            return out;
          }

          @Override
          protected Variant[] invoke(InvocationContext context, Variant[] inputs)
              throws UaException {
            return body.call(inputs);
          }
        };
    method.setInputArguments(in);
    method.setOutputArguments(out);
    method.setInvocationHandler(handler);
    nodeManager.addNode(method);
    parent.addReference(
        new Reference(
            parent.getNodeId(), NodeIds.HasComponent, method.getNodeId().expanded(), true));
  }

  static Argument argument(String name, NodeId type, int valueRank) {
    return new Argument(
        name,
        type,
        valueRank,
        valueRank == 1 ? new UInteger[] {UInteger.valueOf(0)} : null,
        LocalizedText.english(name));
  }
}
