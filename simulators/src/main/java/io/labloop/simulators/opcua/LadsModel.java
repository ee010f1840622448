package io.labloop.simulators.opcua;

/**
 * Names and ids of the LADS (OPC 30500) and DI (OPC 10000-100) information models the device uses.
 */
final class LadsModel {

  private LadsModel() {}

  static final String LADS_URI = "http://opcfoundation.org/UA/LADS/";
  static final String DI_URI = "http://opcfoundation.org/UA/DI/";

  /**
   * KeyValueType (LADS i=3003) and its Default Binary encoding (LADS i=5045): Key String, Value
   * String.
   */
  static final int KEY_VALUE_TYPE = 3003;

  static final int KEY_VALUE_BINARY = 5045;

  /** SampleInfoType (LADS i=3002). */
  static final int SAMPLE_INFO_TYPE = 3002;

  /** The functional unit's states used here (FunctionalStateMachineType): ready, busy, failed. */
  static final String STOPPED = "Stopped";

  static final String RUNNING = "Running";
  static final String ABORTED = "Aborted";

  /** The MIME type of the Allotrope Simple Model result document the device publishes. */
  static final String ASM_MIME = "application/vnd.allotrope.asm+json";
}
