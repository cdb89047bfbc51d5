package io.bulwark.simulate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Telnet (RFC 854) as an IoT device's busybox telnetd speaks it and as Mirai's scanner and
 * loader answer it. telnetd opens with IAC DO ECHO, DO NAWS, WILL ECHO, WILL SGA, then
 * login prints the prompt. Mirai's consume_iacs turns each DO into WONT, except DO NAWS,
 * answered WILL NAWS and a subnegotiated 80x24 window, and each WILL into DO; its first
 * answer leaves at once and Nagle holds the rest until that is acknowledged. The pty
 * echoes what is typed except the password, and busybox login waits three seconds before
 * "Login incorrect".
 */
final class Telnet {
    static final int PORT = 23;
    static final int ALT_PORT = 2323;
    static final long MS = 1_000_000L;

    /** IAC DO ECHO, IAC DO NAWS, IAC WILL ECHO, IAC WILL SGA. */
    static final String SERVER_OPTIONS = "\u00ff\u00fd\u0001\u00ff\u00fd\u001f\u00ff\u00fb\u0001\u00ff\u00fb\u0003";
    /** IAC WONT ECHO. */
    static final String CLIENT_OPTIONS_FIRST = "\u00ff\u00fc\u0001";
    /** IAC WILL NAWS, IAC SB NAWS 0 80 0 24 IAC SE, IAC DO ECHO, IAC DO SGA. */
    static final String CLIENT_OPTIONS_REST =
            "\u00ff\u00fb\u001f\u00ff\u00fa\u001f\u0000\u0050\u0000\u0018\u00ff\u00f0\u00ff\u00fd\u0001\u00ff\u00fd\u0003";
    static final String PROMPT = "# ";

    /** One kind of device: its hostname in the login prompt and the banner of its shell. */
    record Device(String hostname, String busybox) {
        String loginPrompt() {
            return "\r\n" + hostname + " login: ";
        }

        String shellBanner() {
            return "\r\n\r\n" + busybox + " built-in shell (ash)\r\nEnter 'help' for a list of built-in commands.\r\n\r\n";
        }
    }

    static final List<Device> DEVICES = List.of(
            new Device("(none)", "BusyBox v1.16.1 (2015-01-08 10:52:36 CST)"),
            new Device("dvrdvs", "BusyBox v1.19.3 (2013-11-01 19:37:36 CST)"),
            new Device("LocalHost", "BusyBox v1.12.1 (2014-06-20 15:36:12 CST)"),
            new Device("IPCAM", "BusyBox v1.20.2 (2016-03-15 09:41:27 CST)"));

    private Telnet() {
    }

    static Device randomDevice(SplittableRandom rng) {
        return DEVICES.get(rng.nextInt(DEVICES.size()));
    }

    /**
     * The timing of one side of a session as the tap sees it. {@code serverAfter} turns the
     * device's processing time into the delay of an unprompted server turn, which travels
     * the round trip when the tap is at the client; {@code think} is a client's reaction.
     */
    record Timing(long rttNanos, boolean tapAtServer, SplittableRandom rng) {
        long serverAfter(long processingNanos) {
            return processingNanos + (tapAtServer ? 0 : rttNanos);
        }

        /** A program reacting to what it read: 0.2 to 2 ms. */
        long think() {
            return 200_000 + rng.nextLong(1_800_000);
        }
    }

    /** telnetd's options, the client's answers, and the login prompt. */
    static void opening(Dialog d, Device dev, Timing t) {
        d.server(t.serverAfter(500_000 + t.rng().nextLong(2 * MS)), SERVER_OPTIONS);
        d.client(t.think(), CLIENT_OPTIONS_FIRST, null);
        d.client(100_000, CLIENT_OPTIONS_REST, dev.loginPrompt());
    }

    /**
     * A user name and password as Mirai's scanner sends them: each, then "\r\n", in their
     * own send() calls; an empty password is only the "\r\n". {@code newlineNanos} is the
     * wait before each "\r\n" (the loader holds it about a second). Ends with the shell
     * banner and prompt when {@code accepted}, otherwise after busybox login's three
     * seconds with "Login incorrect", after which the device hangs up.
     */
    static void login(Dialog d, Device dev, Mirai.Credential c, boolean accepted, Timing t, long newlineNanos) {
        d.client(t.think(), c.user(), c.user());
        d.client(newlineNanos, "\r\n", "\r\nPassword: ");
        if (!c.password().isEmpty()) {
            d.client(t.think(), c.password(), null);
        }
        if (accepted) {
            d.client(newlineNanos, "\r\n", dev.shellBanner() + PROMPT);
        } else {
            d.client(newlineNanos, "\r\n", null);
            d.server(t.serverAfter(3_000 * MS + t.rng().nextLong(20 * MS)), "\r\nLogin incorrect\r\n");
        }
    }

    /** A command typed by Mirai's scanner: the command, then "\r\n" once the echo is back. */
    static void command(Dialog d, String cmd, String output, Timing t) {
        d.client(t.think(), cmd, cmd);
        d.client(t.think(), "\r\n", "\r\n" + output + PROMPT);
    }

    /** What ash prints for a command it does not know. */
    static String notFound(String cmd) {
        return "-sh: " + cmd + ": not found\r\n";
    }
}
