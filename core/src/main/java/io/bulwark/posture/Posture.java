package io.bulwark.posture;

import io.bulwark.detect.Kind;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceProfile;
import io.bulwark.posture.PostureCheck.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ENISA IoT baseline checks that a network can make without touching the device (ENISA,
 * "Baseline Security Recommendations for IoT", November 2017, section 4.3, technical measures
 * GP-TM). Each check is passed, failed or unknown, with its evidence. Pure function of a
 * device's services, inventory profile and incidents; deterministic.
 *
 * <table>
 *   <tr><th>check</th><th>measures</th><th>fails on</th></tr>
 *   <tr><td>cleartext_management</td><td>GP-TM-08, 34, 45, 50</td><td>telnet, FTP, rlogin/rsh, TFTP or SNMP answered; a telnet or FTP banner; telnet logins into the device</td></tr>
 *   <tr><td>default_credentials</td><td>GP-TM-09, 22</td><td>a login into the device succeeded with brute-forced (dictionary) credentials, or a loader logged in</td></tr>
 *   <tr><td>cleartext_credentials_updates</td><td>GP-TM-18, 40</td><td>HTTP Basic credentials sent; an update fetched over HTTP; software installed over cleartext (infection)</td></tr>
 *   <tr><td>tls</td><td>GP-TM-39</td><td>a ClientHello offering at most TLS 1.1; a web interface without TLS</td></tr>
 *   <tr><td>mud_conformance</td><td>GP-TM-43, 44</td><td>policy incidents (traffic its MUD profile does not allow)</td></tr>
 *   <tr><td>rate_abuse</td><td>GP-TM-46, 51</td><td>scans, floods or brute force from the device; unthrottled logins into it</td></tr>
 * </table>
 */
public final class Posture {
    /** Services that manage a device in cleartext: telnet, FTP, rexec/rlogin/rsh, TFTP, SNMP v1/v2c. */
    static final Set<String> CLEARTEXT_MANAGEMENT = Set.of("tcp/23", "tcp/2323", "tcp/21", "tcp/512", "tcp/513", "tcp/514",
            "udp/69", "udp/161");
    static final Set<String> CLEARTEXT_WEB = Set.of("tcp/80", "tcp/8080", "tcp/8000", "tcp/8081");
    static final Set<String> TLS_WEB = Set.of("tcp/443", "tcp/8443");
    static final Set<String> TELNET_INFECTIONS = Set.of("telnet_transfer", "echo_dropper", "download_command");

    private Posture() {
    }

    /**
     * One device's input to the checks.
     *
     * @param services     what it answered on ("tcp/23")
     * @param incidents    incidents whose host is the device
     * @param hasMud       true when a MUD profile applies to it
     * @param activeNanos  how long it was seen, in traffic time
     */
    public record Input(List<String> services, DeviceProfile profile, List<Incident> incidents, boolean hasMud,
                        long activeNanos) {
    }

    public static List<PostureCheck> assess(Input in) {
        return List.of(cleartextManagement(in), defaultCredentials(in), cleartextCredentials(in), tls(in), mud(in),
                rateAbuse(in));
    }

    static PostureCheck cleartextManagement(Input in) {
        List<String> ev = new ArrayList<>();
        for (String s : in.services()) {
            if (CLEARTEXT_MANAGEMENT.contains(s)) {
                ev.add("answers " + s);
            }
        }
        for (String src : List.of("banner.telnet", "banner.ftp")) {
            for (String v : in.profile().values(src)) {
                ev.add(src + ": " + v);
            }
        }
        for (Incident i : in.incidents()) {
            if (i.kind() == Kind.bruteforce && "inbound".equals(i.detail().get("direction"))) {
                ev.add("telnet logins into it: " + i.id());
            } else if (i.kind() == Kind.infection && TELNET_INFECTIONS.contains(String.valueOf(i.detail().get("method")))) {
                ev.add("infected through a telnet session: " + i.id());
            }
        }
        String title = "No telnet or other cleartext management service";
        List<String> gp = List.of("GP-TM-08", "GP-TM-34", "GP-TM-45", "GP-TM-50");
        if (!ev.isEmpty()) {
            return new PostureCheck("cleartext_management", title, gp, Status.failed, "observed", ev);
        }
        List<String> mirai = miraiIncidents(in);
        if (!mirai.isEmpty()) {
            mirai.add(0, "runs a Mirai-family bot, which enters devices only through telnet");
            return new PostureCheck("cleartext_management", title, gp, Status.failed, "inferred", mirai);
        }
        if (!in.services().isEmpty()) {
            return new PostureCheck("cleartext_management", title, gp, Status.passed, "observed",
                    List.of("answers only " + String.join(", ", in.services())));
        }
        return new PostureCheck("cleartext_management", title, gp, Status.unknown, "none",
                List.of("answered no service in the traffic"));
    }

    static PostureCheck defaultCredentials(Input in) {
        String title = "No default or weak credentials accepted";
        List<String> gp = List.of("GP-TM-09", "GP-TM-22");
        List<String> failed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Incident i : in.incidents()) {
            Map<String, Object> d = i.detail();
            if (i.kind() == Kind.bruteforce && "inbound".equals(d.get("direction"))) {
                if (Boolean.TRUE.equals(d.get("success"))) {
                    Object c = d.get("success_credential");
                    String cred = c instanceof Map<?, ?> m ? m.get("user") + "/" + m.get("password") : "a guessed credential";
                    failed.add("accepted " + cred + " after a dictionary attack over " + d.get("service") + ": " + i.id());
                } else {
                    refused.add("refused " + d.get("attempts") + " guessed logins: " + i.id());
                }
            } else if (i.kind() == Kind.infection && TELNET_INFECTIONS.contains(String.valueOf(d.get("method")))) {
                failed.add("a loader logged in and installed a bot (" + d.get("method") + "): " + i.id());
            }
        }
        if (!failed.isEmpty()) {
            return new PostureCheck("default_credentials", title, gp, Status.failed, "observed", failed);
        }
        List<String> mirai = miraiIncidents(in);
        if (!mirai.isEmpty()) {
            mirai.add(0, "runs a Mirai-family bot, which logs in only with default credentials from its list");
            return new PostureCheck("default_credentials", title, gp, Status.failed, "inferred", mirai);
        }
        if (!refused.isEmpty()) {
            return new PostureCheck("default_credentials", title, gp, Status.passed, "observed", refused);
        }
        return new PostureCheck("default_credentials", title, gp, Status.unknown, "none",
                List.of("no login attempts into it seen"));
    }

    static PostureCheck cleartextCredentials(Input in) {
        String title = "No credentials or software updates in cleartext";
        List<String> gp = List.of("GP-TM-18", "GP-TM-40");
        List<String> ev = new ArrayList<>();
        for (String v : in.profile().values("http.basic_auth")) {
            ev.add("sent HTTP Basic credentials in cleartext (" + v + ")");
        }
        for (String v : in.profile().values("http.update")) {
            ev.add("fetched a software update over cleartext HTTP: " + v);
        }
        for (Incident i : in.incidents()) {
            if (i.kind() == Kind.infection) {
                ev.add("software installed over cleartext (" + i.detail().get("method") + " from " + i.detail().get("source")
                        + "): " + i.id());
            }
        }
        if (!ev.isEmpty()) {
            return new PostureCheck("cleartext_credentials_updates", title, gp, Status.failed, "observed", ev);
        }
        List<String> tls = in.profile().values("tls.sni");
        if (in.profile().has("tls.ja4")) {
            return new PostureCheck("cleartext_credentials_updates", title, gp, Status.passed, "observed",
                    List.of("talks to its services over TLS" + (tls.isEmpty() ? "" : " (" + String.join(", ", tls) + ")")
                            + "; no cleartext credentials or software seen"));
        }
        return new PostureCheck("cleartext_credentials_updates", title, gp, Status.unknown, "none",
                List.of("no TLS and no cleartext credentials seen"));
    }

    static PostureCheck tls(Input in) {
        String title = "TLS, at version 1.2 or later";
        List<String> gp = List.of("GP-TM-39");
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (String v : in.profile().values("tls.version")) {
            if (v.equals("TLS 1.2") || v.equals("TLS 1.3")) {
                good.add("offers " + v + " (ClientHello)");
            } else {
                bad.add("offers at most " + v + " (ClientHello)");
            }
        }
        boolean tlsWeb = in.services().stream().anyMatch(TLS_WEB::contains);
        for (String s : in.services()) {
            if (CLEARTEXT_WEB.contains(s) && !tlsWeb) {
                bad.add("web interface without TLS: answers " + s + " and no HTTPS port");
            }
        }
        if (!bad.isEmpty()) {
            return new PostureCheck("tls", title, gp, Status.failed, "observed", bad);
        }
        if (!good.isEmpty() || tlsWeb) {
            if (tlsWeb) {
                good.add("answers HTTPS");
            }
            return new PostureCheck("tls", title, gp, Status.passed, "observed", good);
        }
        return new PostureCheck("tls", title, gp, Status.unknown, "none", List.of("no TLS and no web interface seen"));
    }

    static PostureCheck mud(Input in) {
        String title = "Traffic within the device's MUD profile";
        List<String> gp = List.of("GP-TM-43", "GP-TM-44");
        List<String> ev = new ArrayList<>();
        for (Incident i : in.incidents()) {
            if (i.kind() == Kind.policy) {
                ev.add(i.summary() + ": " + i.id());
            }
        }
        if (!ev.isEmpty()) {
            return new PostureCheck("mud_conformance", title, gp, Status.failed, "observed", ev);
        }
        if (in.hasMud()) {
            return new PostureCheck("mud_conformance", title, gp, Status.passed, "observed",
                    List.of("all traffic allowed by its MUD profile" + (in.profile().mudUrl() == null ? "" : " " + in.profile().mudUrl())));
        }
        return new PostureCheck("mud_conformance", title, gp, Status.unknown, "none", List.of("no MUD profile"));
    }

    static PostureCheck rateAbuse(Input in) {
        String title = "No rate abuse, to or from the device";
        List<String> gp = List.of("GP-TM-46", "GP-TM-51");
        List<String> ev = new ArrayList<>();
        for (Incident i : in.incidents()) {
            Map<String, Object> d = i.detail();
            switch (i.kind()) {
                case scan, ddos -> ev.add(i.kind() + " from the device: " + i.id());
                case bruteforce -> ev.add(("inbound".equals(d.get("direction"))
                        ? "accepted " + d.get("attempts") + " login attempts without locking out"
                        : "brute-forces others") + ": " + i.id());
                default -> {
                }
            }
        }
        if (!ev.isEmpty()) {
            return new PostureCheck("rate_abuse", title, gp, Status.failed, "observed", ev);
        }
        if (in.activeNanos() > 0) {
            return new PostureCheck("rate_abuse", title, gp, Status.passed, "observed",
                    List.of(String.format("no scan, flood or brute force in %.0f s of traffic", in.activeNanos() / 1e9)));
        }
        return new PostureCheck("rate_abuse", title, gp, Status.unknown, "none", List.of("no traffic"));
    }

    private static List<String> miraiIncidents(Input in) {
        List<String> ev = new ArrayList<>();
        for (Incident i : in.incidents()) {
            if (i.kind() == Kind.scan && Boolean.TRUE.equals(i.detail().get("mirai_fingerprint"))) {
                ev.add(i.summary() + ": " + i.id());
            }
        }
        return ev;
    }

    /** Per-network totals: check id to counts of passed, failed and unknown. */
    public static Map<String, Map<Status, Integer>> network(List<List<PostureCheck>> devices) {
        Map<String, Map<Status, Integer>> out = new LinkedHashMap<>();
        for (List<PostureCheck> d : devices) {
            for (PostureCheck c : d) {
                Map<Status, Integer> m = out.computeIfAbsent(c.id(), k -> {
                    Map<Status, Integer> z = new LinkedHashMap<>();
                    for (Status s : Status.values()) {
                        z.put(s, 0);
                    }
                    return z;
                });
                m.merge(c.status(), 1, Integer::sum);
            }
        }
        return out;
    }
}
