package io.bulwark.detect.bruteforce;

import java.util.Set;

/**
 * Factory logins that IoT bots try first: the 62 user/password pairs of Mirai's scanner table
 * (scanner.c in the source published in September 2016), which Gafgyt-, Hajime- and
 * Satori-family scanners largely reuse. A local device that logs into another host's telnet
 * with one of these, while it is probing telnet ports, is spreading, whether or not it had to
 * guess (issue 18: a scanner whose first try worked was never reported).
 */
final class DefaultCredentials {
    private DefaultCredentials() {
    }

    private static final Set<String> PAIRS = Set.of(
            "root:xc3511", "root:vizxv", "root:admin", "admin:admin", "root:888888", "root:xmhdipc",
            "root:default", "root:juantech", "root:123456", "root:54321", "support:support", "root:",
            "admin:password", "root:root", "root:12345", "user:user", "admin:", "root:pass",
            "admin:admin1234", "root:1111", "admin:smcadmin", "admin:1111", "root:666666", "root:password",
            "root:1234", "root:klv123", "Administrator:admin", "service:service", "supervisor:supervisor",
            "guest:guest", "guest:12345", "admin1:password", "administrator:1234", "666666:666666",
            "888888:888888", "ubnt:ubnt", "root:klv1234", "root:Zte521", "root:hi3518", "root:jvbzd",
            "root:anko", "root:zlxx.", "root:7ujMko0vizxv", "root:7ujMko0admin", "root:system", "root:ikwb",
            "root:dreambox", "root:user", "root:realtek", "root:00000000", "admin:1111111", "admin:1234",
            "admin:12345", "admin:54321", "admin:123456", "admin:7ujMko0admin", "admin:pass", "admin:meinsm",
            "tech:tech", "mother:fucker");

    static boolean contains(String user, String password) {
        return user != null && PAIRS.contains(user + ":" + (password == null ? "" : password));
    }
}
