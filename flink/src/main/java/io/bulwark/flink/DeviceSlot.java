package io.bulwark.flink;

import io.bulwark.incident.Incident;

import java.io.Serializable;
import java.util.HashMap;

/**
 * Everything the job keeps for one device in keyed state: each detector's state (the
 * detectors' own {@link Serializable} state objects, architecture.md rule 4) and the device's open
 * incidents by kind and subject, which later findings merge into.
 */
final class DeviceSlot implements Serializable {
    private static final long serialVersionUID = 1L;

    final Serializable[] detectors;
    final HashMap<String, Incident> open = new HashMap<>();
    /** Highest event time of a record this device has processed, ns. */
    long lastStreamNanos = Long.MIN_VALUE;
    /** Last source MAC the device was seen with, -1 when unknown. */
    long mac = -1;

    DeviceSlot(Serializable[] detectors) {
        this.detectors = detectors;
    }
}
