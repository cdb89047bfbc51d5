package io.bulwark.inventory;

import io.bulwark.flow.FlowRecord;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traffic counters of one device, updated per packet without allocating. Fixed footprint:
 * about 200 bytes, the service list bounded by {@link #MAX_SERVICES}.
 */
public final class DeviceActivity implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int MAX_SERVICES = 32;

    public long mac = -1;
    public long firstSeen = Long.MAX_VALUE;
    public long lastSeen = Long.MIN_VALUE;
    public long packetsOut, bytesOut, packetsIn, bytesIn;
    public long flowsOriginated, flowsAnswered;
    /** (protocol << 16 | port) of services answered; 0 = free slot. */
    private final int[] services = new int[MAX_SERVICES];

    public void seen(long ts) {
        if (ts < firstSeen) {
            firstSeen = ts;
        }
        if (ts > lastSeen) {
            lastSeen = ts;
        }
    }

    public void sent(long ts, long bytes) {
        seen(ts);
        packetsOut++;
        bytesOut += bytes;
    }

    public void received(long ts, long bytes) {
        seen(ts);
        packetsIn++;
        bytesIn += bytes;
    }

    /** Records that the device answered on a port (it offers the service). */
    public void offers(int protocol, int port) {
        int key = (protocol << 16) | port;
        for (int i = 0; i < MAX_SERVICES; i++) {
            if (services[i] == key) {
                return;
            }
            if (services[i] == 0) {
                services[i] = key;
                return;
            }
        }
    }

    /** Counts a flow from a flow-only source (conn.log, NetFlow), where no packet was seen. */
    public void flow(FlowRecord f, boolean originator) {
        seen(f.startNanos());
        seen(f.endNanos());
        if (originator) {
            packetsOut += f.packetsOut();
            bytesOut += f.bytesOut();
            packetsIn += f.packetsIn();
            bytesIn += f.bytesIn();
        } else {
            packetsOut += f.packetsIn();
            bytesOut += f.bytesIn();
            packetsIn += f.packetsOut();
            bytesIn += f.bytesOut();
        }
    }

    /** Adds another period's activity of the same device (after it was evicted and came back). */
    public void merge(DeviceActivity o) {
        if (o.mac >= 0) {
            mac = o.mac;
        }
        firstSeen = Math.min(firstSeen, o.firstSeen);
        lastSeen = Math.max(lastSeen, o.lastSeen);
        packetsOut += o.packetsOut;
        bytesOut += o.bytesOut;
        packetsIn += o.packetsIn;
        bytesIn += o.bytesIn;
        flowsOriginated += o.flowsOriginated;
        flowsAnswered += o.flowsAnswered;
        for (int v : o.services) {
            if (v != 0) {
                offers(v >>> 16, v & 0xffff);
            }
        }
    }

    public List<String> services() {
        int[] s = Arrays.stream(services).filter(v -> v != 0).sorted().toArray();
        List<String> out = new ArrayList<>(s.length);
        for (int v : s) {
            int proto = v >>> 16;
            out.add((proto == 6 ? "tcp" : proto == 17 ? "udp" : "ip" + proto) + "/" + (v & 0xffff));
        }
        return out;
    }

    public static String macText(long mac) {
        if (mac < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
