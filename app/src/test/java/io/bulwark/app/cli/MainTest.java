package io.bulwark.app.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The command table: a named subcommand is wired alone, everything else sees them all. */
class MainTest extends StdStreams {
    private String text() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArguments_usageListsEveryCommand() {
        assertThat(Main.run(new String[0])).isZero();
        assertThat(text()).contains("analyze", "collect", "contain", "posture", "evidence", "serve", "share", "score",
                "simulate", "token", "help");
    }

    @Test
    void helpForACommand_printsThatCommandsUsage() {
        assertThat(Main.run("help", "score")).isZero();
        assertThat(text()).contains("Usage: bulwark score");
    }

    @Test
    void namedCommand_runsWithItsOwnOptions() {
        assertThat(Main.run("score", "--help")).isZero();
        assertThat(text()).contains("Usage: bulwark score", "--labels");
    }

    @Test
    void unknownCommand_failsWithSuggestions() {
        assertThat(Main.run("anlyze")).isNotZero();
        assertThat(text()).contains("Unmatched argument", "analyze");
    }
}
