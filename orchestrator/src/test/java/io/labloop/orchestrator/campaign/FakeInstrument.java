package io.labloop.orchestrator.campaign;

import io.labloop.drivers.Command;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An in-memory instrument: answers with a function of the command and keeps every command it
 * received.
 */
final class FakeInstrument implements Instrument {

  private final String name;
  private volatile Function<Command, CompletableFuture<Reply>> behaviour;
  final List<Command> received = new CopyOnWriteArrayList<>();
  final Map<String, Object> variables = new ConcurrentHashMap<>();

  FakeInstrument(String name, Function<Command, Map<String, Object>> outputs) {
    this.name = name;
    answer(outputs);
  }

  void answer(Function<Command, Map<String, Object>> outputs) {
    this.behaviour =
        c ->
            CompletableFuture.completedFuture(
                new Reply(c.name(), outputs.apply(c), List.of(), Instant.now(), Duration.ZERO));
  }

  void behave(Function<Command, CompletableFuture<Reply>> behaviour) {
    this.behaviour = behaviour;
  }

  long count(String command) {
    return received.stream().filter(c -> c.name().equals(command)).count();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Void> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Reply> execute(Command command) {
    received.add(command);
    return behaviour.apply(command);
  }

  @Override
  public CompletableFuture<Object> read(String variable) {
    Object v = variables.get(variable);
    return v == null
        ? CompletableFuture.failedFuture(new IllegalArgumentException("no variable " + variable))
        : CompletableFuture.completedFuture(v);
  }

  @Override
  public InstrumentStatus status() {
    return InstrumentStatus.online(Instant.now(), "");
  }

  @Override
  public void close() {}
}
