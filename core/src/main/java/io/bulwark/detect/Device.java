package io.bulwark.detect;

import io.bulwark.flow.IpAddr;

/**
 * The identity a detector's state is keyed by: one local device. Read-only for detectors.
 * The MAC is the last one seen as the device's source address (-1 when unknown).
 */
public interface Device {
    IpAddr ip();

    long mac();
}
