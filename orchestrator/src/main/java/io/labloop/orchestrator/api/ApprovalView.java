package io.labloop.orchestrator.api;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A suggestion waiting for a person (campaigns with {@code approval: manual}), with the planner's
 * reasons so that the person can judge it.
 *
 * @param seq the experiment it would become
 * @param point the suggested conditions
 * @param planner the planner that chose it
 * @param reason why, in the planner's words
 * @param acquisition the acquisition value, or null
 * @param predictedMean predicted objective values, may be empty
 * @param predictedSd their standard deviations, may be empty
 * @param suggestedAt ISO-8601
 */
public record ApprovalView(
    int seq,
    Map<String, Object> point,
    String planner,
    String reason,
    @Nullable Double acquisition,
    Map<String, Double> predictedMean,
    Map<String, Double> predictedSd,
    String suggestedAt) {}
