package io.bulwark.detect;

import io.bulwark.flow.IpAddr;
import io.bulwark.inventory.DeviceActivity;

/**
 * One device in the local engine: its identity, activity counters and detector states. When
 * the engine drops it, {@link #retire} releases everything but the flag: flows still point at
 * it (up to two per flow, for as long as the flow lives), so a retired device must cost a few
 * bytes, not its detectors' kilobytes (a spoofed flood of local sources otherwise kept one
 * full state per flow alive and exhausted the heap).
 */
final class DeviceState implements Device {
    IpAddr ip;
    DeviceActivity activity = new DeviceActivity();
    java.io.Serializable[] states;
    /** Set when the engine has ended and dropped this device; flows still holding it re-resolve. */
    boolean retired;

    /** Drops this device's state: only {@link #retired} is read afterwards. */
    void retire() {
        retired = true;
        ip = null;
        activity = null;
        states = null;
    }

    DeviceState(IpAddr ip, int detectors) {
        this.ip = ip;
        this.states = new java.io.Serializable[detectors];
    }

    @Override
    public IpAddr ip() {
        return ip;
    }

    @Override
    public long mac() {
        return activity.mac;
    }
}
