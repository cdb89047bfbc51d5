package io.bulwark.app.posture;

import io.bulwark.inventory.DeviceProfile;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.posture.Posture;
import io.bulwark.posture.PostureCheck;
import io.bulwark.posture.PostureCheck.Status;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The device inventory and ENISA baseline posture as one self-contained HTML page (no scripts,
 * no external resources): per network, the passed, failed and unknown counts of each check;
 * per device, its vendor, class and their evidence, and each check with its evidence. Every
 * text from the traffic is HTML-escaped. Devices with a failed check come first.
 */
public final class PostureReport {
    private PostureReport() {
    }

    public static String html(List<DeviceSummary> devices, String source) {
        List<DeviceSummary> sorted = devices.stream()
                .sorted(Comparator.comparingLong((DeviceSummary d) -> -failed(d)).thenComparing(DeviceSummary::ip))
                .toList();
        Map<String, Map<Status, Integer>> net = Posture.network(devices.stream().map(DeviceSummary::posture).toList());
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bulwark posture report</title>\n")
                .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f24}table{border-collapse:collapse;")
                .append("margin:.5em 0 1.5em}th,td{border:1px solid #ccd;padding:.3em .6em;text-align:left;vertical-align:top}")
                .append(".failed{background:#fde2e2}.passed{background:#e3f6e5}.unknown{background:#f2f2f2}")
                .append("h2{margin-top:2em}small{color:#667}</style></head><body>\n");
        sb.append("<h1>Device inventory and ENISA baseline posture</h1>\n<p><small>Source: ").append(esc(source))
                .append(". Checks map to the good practices (GP-TM) of ENISA's <i>Baseline Security Recommendations for IoT</i> ")
                .append("(November 2017) that a network can observe. <b>inferred</b> results follow from what a device became ")
                .append("(a Mirai bot got in through telnet with default credentials).</small></p>\n");
        sb.append("<h2 id=\"network\">Network</h2>\n<p>").append(devices.size()).append(" devices, ")
                .append(devices.stream().filter(d -> failed(d) > 0).count()).append(" failing at least one check.</p>\n");
        sb.append("<table class=\"network\"><tr><th>check</th><th>ENISA measures</th><th>failed</th><th>passed</th><th>unknown</th></tr>\n");
        Map<String, PostureCheck> titles = new java.util.LinkedHashMap<>();
        devices.forEach(d -> d.posture().forEach(c -> titles.putIfAbsent(c.id(), c)));
        for (Map.Entry<String, Map<Status, Integer>> e : net.entrySet()) {
            PostureCheck t = titles.get(e.getKey());
            sb.append("<tr><td>").append(esc(t.title())).append(" <small>").append(esc(e.getKey())).append("</small></td><td>")
                    .append(esc(String.join(", ", t.measures()))).append("</td>");
            for (Status s : List.of(Status.failed, Status.passed, Status.unknown)) {
                int n = e.getValue().get(s);
                sb.append("<td class=\"").append(n > 0 ? s.name() : "").append("\">").append(n).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n<h2>Devices</h2>\n<table class=\"devices\"><tr><th>address</th><th>MAC</th><th>vendor</th><th>class</th>");
        for (String id : net.keySet()) {
            sb.append("<th>").append(esc(id)).append("</th>");
        }
        sb.append("</tr>\n");
        for (DeviceSummary d : sorted) {
            sb.append("<tr><td><a href=\"#d-").append(esc(d.ip())).append("\">").append(esc(d.ip())).append("</a></td><td>")
                    .append(esc(d.mac() == null ? "-" : d.mac())).append("</td><td>").append(esc(orDash(d.profile().vendor())))
                    .append("</td><td>").append(esc(d.profile().deviceClass())).append("</td>");
            for (String id : net.keySet()) {
                Status s = d.posture().stream().filter(c -> c.id().equals(id)).map(PostureCheck::status).findFirst().orElse(Status.unknown);
                sb.append("<td class=\"").append(s.name()).append("\">").append(s.name()).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
        for (DeviceSummary d : sorted) {
            device(sb, d);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void device(StringBuilder sb, DeviceSummary d) {
        DeviceProfile p = d.profile();
        sb.append("<h3 id=\"d-").append(esc(d.ip())).append("\">").append(esc(d.ip())).append(" <small>")
                .append(esc(orDash(d.mac()))).append(" &middot; ").append(esc(orDash(p.vendor()))).append(" &middot; ")
                .append(esc(p.deviceClass())).append("</small></h3>\n");
        sb.append("<p><small>seen ").append(Instant.ofEpochSecond(0, d.firstSeen())).append(" to ")
                .append(Instant.ofEpochSecond(0, d.lastSeen())).append("; services: ")
                .append(esc(d.services().isEmpty() ? "none answered" : String.join(", ", d.services())));
        if (p.mudUrl() != null) {
            sb.append("; MUD URL ").append(esc(p.mudUrl()));
        }
        sb.append("</small></p>\n");
        if (!p.classEvidence().isEmpty()) {
            sb.append("<p>Class <b>").append(esc(p.deviceClass())).append("</b> because:</p><ul>\n");
            for (DeviceProfile.ClassVote v : p.classEvidence()) {
                sb.append("<li>").append(esc(v.source())).append(" = <code>").append(esc(v.value())).append("</code>: ")
                        .append(esc(v.rule())).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        sb.append("<table class=\"checks\"><tr><th>check</th><th>measures</th><th>result</th><th>evidence</th></tr>\n");
        for (PostureCheck c : d.posture()) {
            sb.append("<tr><td>").append(esc(c.title())).append("</td><td>").append(esc(String.join(", ", c.measures())))
                    .append("</td><td class=\"").append(c.status().name()).append("\">").append(c.status().name());
            if (c.status() != Status.unknown) {
                sb.append(" <small>(").append(esc(c.basis())).append(")</small>");
            }
            sb.append("</td><td>").append(esc(String.join("; ", c.evidence()))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static long failed(DeviceSummary d) {
        return d.posture().stream().filter(c -> c.status() == Status.failed).count();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
