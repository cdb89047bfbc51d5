package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The small home LAN of the focused scenarios ({@link MiraiFocus}, {@link P2pVariant}): .1 the
 * gateway and resolver, .21 the smart plug, .22 the streaming hub and .30 the laptop, .41 the
 * 30-second HTTPS sensor, .42 the media stick, and .101 a Hikvision camera, the device each
 * scenario turns into a bot.
 */
final class FocusLan {
    final Endpoint gateway = Endpoint.of("192.168.1.1", IotLanScan.GATEWAY_MAC);
    final Endpoint plug = Endpoint.of("192.168.1.21", IotLanScan.PLUG_MAC);
    final Endpoint hub = Endpoint.of("192.168.1.22", IotLanScan.HUB_MAC);
    final Endpoint laptop = Endpoint.of("192.168.1.30", IotLanScan.LAPTOP_MAC);
    final Endpoint sensor = Endpoint.of("192.168.1.41", 0x240ac4_71c2d8L);
    final Endpoint stick = Endpoint.of("192.168.1.42", 0xf4f5d8_2a9e44L);
    final Endpoint camera = Endpoint.of("192.168.1.101", 0xc056e3_1d7a02L);

    /** The benign devices' routines from start to end, each on its own split of {@code rng}, in this order. */
    void benign(Sim sim, long start, long end, SplittableRandom rng) {
        IotLanScan.plug(sim, plug, gateway, start, end, rng.split());
        new Household(hub, laptop, gateway, sim.noise).schedule(sim, start, end, rng.split());
        SmartHome home = new SmartHome(gateway, sim.noise);
        home.telemetry(sim, sensor, start, end, rng.split());
        home.mediaStick(sim, stick, start, end, rng.split());
    }

    List<IpAddr> benignHosts() {
        return List.of(gateway.addr(), plug.addr(), hub.addr(), laptop.addr(), sensor.addr(), stick.addr());
    }
}
