package io.bulwark.detect.bruteforce;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TelnetSessionTest {
    private final TelnetSession t = new TelnetSession();

    private List<TelnetSession.Event> server(byte[] b) {
        List<TelnetSession.Event> e = new ArrayList<>();
        for (byte x : b) {
            TelnetSession.Event ev = t.server(x & 0xff);
            if (ev != TelnetSession.Event.NONE) {
                e.add(ev);
            }
        }
        return e;
    }

    private List<TelnetSession.Event> server(String s) {
        return server(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private List<TelnetSession.Event> client(String s) {
        List<TelnetSession.Event> e = new ArrayList<>();
        for (byte x : s.getBytes(StandardCharsets.ISO_8859_1)) {
            TelnetSession.Event ev = t.client(x & 0xff);
            if (ev != TelnetSession.Event.NONE) {
                e.add(ev);
            }
        }
        return e;
    }

    @Test
    void loginExchange_withIacNegotiation_yieldsTheCredentialAndFailure() {
        // IAC DO ECHO, IAC WILL SGA, IAC SB TTYPE SEND IAC SE, then the prompt
        server(new byte[] {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 251, 3,
            (byte) 255, (byte) 250, 24, 1, (byte) 255, (byte) 240});
        client("\u00ff\u00fc\u0001");
        server("\r\nlogin: ");
        assertThat(client("root\r\n")).isEmpty();
        server("Password: ");
        assertThat(client("xc3511\r\n")).containsExactly(TelnetSession.Event.ATTEMPT);
        assertThat(t.user).isEqualTo("root");
        assertThat(t.password).isEqualTo("xc3511");
        assertThat(server("\r\nLogin incorrect\r\n")).containsExactly(TelnetSession.Event.FAILURE);
    }

    @Test
    void shellPromptAfterPassword_isSuccess_andLaterCommandsAreNotCredentials() {
        server("login: ");
        client("admin\r\n");
        server("Password: ");
        client("admin\r\n");
        assertThat(server("\r\nBusyBox v1.19.4 built-in shell (ash)\r\n# ")).containsExactly(TelnetSession.Event.SUCCESS);
        assertThat(client("enable\r\nsystem\r\nshell\r\nsh\r\n/bin/busybox MIRAI\r\n")).isEmpty();
        assertThat(t.user).isEqualTo("admin");
    }

    @Test
    void hugeLines_areCappedAndNeverGrow() {
        server("login: ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append('A');
        }
        client(sb + "\r\n");
        assertThat(t.user).hasSize(TelnetSession.MAX_LINE);
        server(sb.toString());
        assertThat(t.serverText.length()).isLessThanOrEqualTo(TelnetSession.MAX_LINE);
    }
}
