package io.bulwark.detect;

import io.bulwark.flow.IpAddr;
import io.bulwark.inventory.DeviceActivity;

/** One device in the local engine: its identity, activity counters and detector states. */
final class DeviceState implements Device {
    final IpAddr ip;
    final DeviceActivity activity = new DeviceActivity();
    final java.io.Serializable[] states;
    /** Set when the engine has ended and dropped this device; flows still holding it re-resolve. */
    boolean retired;

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
