package io.bulwark.detect.bruteforce;

import java.io.Serializable;

/**
 * Follows one telnet login exchange (RFC 854) and extracts what was typed at the login and
 * password prompts. IAC negotiation (IAC WILL/WONT/DO/DONT option, IAC SB ... IAC SE) is
 * skipped. Lines are capped at {@link #MAX_LINE} characters; the session keeps no other text.
 * About 200 bytes.
 */
final class TelnetSession implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int MAX_LINE = 64;
    static final int IAC = 255;
    static final int SB = 250;
    static final int SE = 240;

    enum Phase { WAIT_PROMPT, USER, WAIT_PASSWORD, PASSWORD, WAIT_RESULT, DONE }

    long flowUid;
    long lastSeen;
    Phase phase = Phase.WAIT_PROMPT;
    final StringBuilder line = new StringBuilder();
    final StringBuilder serverText = new StringBuilder();
    String user;
    String password;
    // IAC parser state per direction: 0 none, 1 after IAC, 2 after IAC+verb, 3 in SB, 4 in SB after IAC
    int iacClient;
    int iacServer;

    /** What one call found. */
    enum Event { NONE, ATTEMPT, SUCCESS, FAILURE }

    /** Feeds bytes the client typed. Returns ATTEMPT when a password line was completed. */
    Event client(int b) {
        int v = iac(b, true);
        if (v < 0 || phase == Phase.DONE) {
            return Event.NONE;
        }
        if (v == '\r' || v == '\n' || v == 0) {
            if (line.length() == 0 && phase != Phase.PASSWORD) {
                return Event.NONE;
            }
            String typed = line.toString();
            line.setLength(0);
            if (phase == Phase.USER || phase == Phase.WAIT_PROMPT) {
                user = typed;
                phase = Phase.WAIT_PASSWORD;
            } else if (phase == Phase.PASSWORD || phase == Phase.WAIT_PASSWORD) {
                password = typed;
                phase = Phase.WAIT_RESULT;
                serverText.setLength(0);
                return Event.ATTEMPT;
            }
            return Event.NONE;
        }
        if (line.length() < MAX_LINE && v >= 0x20 && v < 0x7f) {
            line.append((char) v);
        }
        return Event.NONE;
    }

    /** Feeds bytes the server sent. Returns SUCCESS/FAILURE when the result of an attempt shows. */
    Event server(int b) {
        int v = iac(b, false);
        if (v < 0) {
            return Event.NONE;
        }
        if (serverText.length() >= MAX_LINE) {
            serverText.delete(0, MAX_LINE / 2);
        }
        serverText.append(Character.toLowerCase((char) v));
        String t = serverText.toString();
        if (phase == Phase.DONE) {
            return Event.NONE;
        }
        if (phase == Phase.WAIT_RESULT) {
            if (t.contains("incorrect") || t.contains("failed") || t.contains("denied") || t.contains("invalid")
                    || prompt(t, "login:")) {
                phase = prompt(t, "login:") ? Phase.USER : Phase.WAIT_PROMPT;
                serverText.setLength(0);
                return Event.FAILURE;
            }
            if (t.endsWith("# ") || t.endsWith("$ ") || t.endsWith("> ") || t.endsWith("#") || t.contains("busybox")) {
                // Logged in: what is typed next are commands, not credentials.
                phase = Phase.DONE;
                serverText.setLength(0);
                return Event.SUCCESS;
            }
            return Event.NONE;
        }
        if (prompt(t, "login:") || prompt(t, "username:")) {
            phase = Phase.USER;
            line.setLength(0);
            serverText.setLength(0);
        } else if (prompt(t, "password:")) {
            phase = Phase.PASSWORD;
            line.setLength(0);
            serverText.setLength(0);
        }
        return Event.NONE;
    }

    /** The server's text ends with this prompt, with or without the usual trailing space. */
    private static boolean prompt(String text, String p) {
        return text.endsWith(p) || text.endsWith(p + " ");
    }

    /** Strips telnet commands: returns the data byte, or -1 while inside a command. */
    private int iac(int b, boolean client) {
        int st = client ? iacClient : iacServer;
        int out = -1;
        int next = st;
        switch (st) {
            case 0 -> {
                if (b == IAC) {
                    next = 1;
                } else {
                    out = b;
                }
            }
            case 1 -> {
                next = b == SB ? 3 : (b >= 251 && b <= 254) ? 2 : 0;
                if (b == IAC) {
                    out = IAC; // an escaped 0xff data byte
                }
            }
            case 2 -> next = 0;
            case 3 -> next = b == IAC ? 4 : 3;
            default -> next = b == SE ? 0 : 3;
        }
        if (client) {
            iacClient = next;
        } else {
            iacServer = next;
        }
        return out;
    }
}
