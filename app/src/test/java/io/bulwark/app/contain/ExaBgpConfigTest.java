package io.bulwark.app.contain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ExaBGP configuration is checked by ExaBGP's own parser ({@code exabgp --validate}). */
class ExaBgpConfigTest {
    @TempDir
    Path dir;

    private String render() throws Exception {
        ContainmentPlan p = ContainmentPlan.of(ContainInput.read(ContainFixtures.outbreakLike(dir.resolve("out"))),
                Map.of(), 300);
        return ExaBgpConfig.render(p, ExaBgpConfig.Options.defaults(), "test");
    }

    @Test
    void render_flowSpecAndRtbhRoutes() throws Exception {
        String conf = render();
        assertThat(conf).contains("route bulwark-0000000000000002-syn {", "source 192.168.1.101/32;",
                "destination 203.0.113.9/32;", "protocol tcp;", "tcp-flags [ syn ];", "discard;",
                "destination-port =53;", "route 192.168.1.10/32 next-hop 192.0.2.1 community [ 65535:666 no-export ];");
        assertThat(conf).doesNotContain("203.0.113.10");
    }

    @Test
    void render_isAcceptedByExaBgpsParser_andAMisspeltOneIsNot() throws Exception {
        Path good = dir.resolve("exabgp.conf");
        Files.writeString(good, render());
        assertThat(validate(good).exit()).as(validate(good).output()).isZero();
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, render().replace("discard;", "discrad;"));
        ContainFixtures.Run r = validate(bad);
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("discrad");
    }

    private static ContainFixtures.Run validate(Path f) throws Exception {
        assumeTrue(ContainFixtures.onPath("exabgp"), "exabgp not installed (.ci/install-tools installs Debian's exabgp)");
        return ContainFixtures.run(List.of("exabgp", "--validate", f.toString()), 120);
    }
}
