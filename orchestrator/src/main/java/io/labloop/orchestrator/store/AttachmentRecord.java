package io.labloop.orchestrator.store;

/**
 * Raw data kept with a step; the bytes are in the file named {@code sha256} under the attachments
 * folder.
 */
public record AttachmentRecord(
    String runId,
    int seq,
    int stepIndex,
    int attempt,
    String name,
    String mediaType,
    String sha256,
    long sizeBytes) {}
