package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.zeek.LineSource.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSourceTest {

    @Test
    void next_lines_reportsTextAndOffsets() throws IOException {
        List<String> seen = readAll(source("ab\n\ncde\r\nf\n"));

        assertThat(seen).containsExactly("LINE 0 ab", "LINE 3 ", "LINE 4 cde", "LINE 9 f", "END 11 ");
    }

    @Test
    void next_noFinalNewline_reportsUnterminatedWithItsBytes() throws IOException {
        assertThat(readAll(source("ab\ncd"))).containsExactly("LINE 0 ab", "UNTERMINATED 3 cd", "END 5 ");
    }

    @Test
    void next_emptyInput_isEnd() throws IOException {
        assertThat(readAll(source(""))).containsExactly("END 0 ");
    }

    @Test
    void next_lineOverBound_isSkippedAndNextLineKeepsItsOffset() throws IOException {
        String longLine = "x".repeat(LineSource.MAX_LINE * 3);
        String text = "a\n" + longLine + "\nb\n";

        assertThat(readAll(source(text)))
                .containsExactly("LINE 0 a", "TOO_LONG 2 ", "LINE " + (3 + longLine.length()) + " b",
                        "END " + text.length() + " ");
    }

    @Test
    void next_overlongLastLineWithoutNewline_isTooLongThenEnd() throws IOException {
        String text = "x".repeat(LineSource.MAX_LINE + 10);

        assertThat(readAll(source(text))).containsExactly("TOO_LONG 0 ", "END " + text.length() + " ");
    }

    @Test
    void next_lineJustOverBoundReadWhole_isTooLong() throws IOException {
        String line = "z".repeat(LineSource.MAX_LINE + 1);

        assertThat(readAll(source(line + "\n" + line + "\r\nok\n")))
                .containsExactly("TOO_LONG 0 ", "TOO_LONG " + (line.length() + 1) + " ",
                        "LINE " + (2 * line.length() + 3) + " ok", "END " + (2 * line.length() + 6) + " ");
    }

    @Test
    void next_lineExactlyAtBound_isAccepted_evenWithCrLf() throws IOException {
        String line = "y".repeat(LineSource.MAX_LINE);
        LineSource s = source(line + "\r\n" + line + "\n");

        assertThat(s.next()).isEqualTo(Kind.LINE);
        assertThat(s.length()).isEqualTo(LineSource.MAX_LINE);
        assertThat(s.next()).isEqualTo(Kind.LINE);
        assertThat(s.offset()).isEqualTo(LineSource.MAX_LINE + 2);
        assertThat(s.next()).isEqualTo(Kind.END);
    }

    @Test
    void next_inputSplitIntoOneByteReads_givesSameLines() throws IOException {
        String text = "first\nsecond line\n\nlast";
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        InputStream trickle = new InputStream() {
            private int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };

        assertThat(readAll(new LineSource(trickle, 0))).isEqualTo(readAll(source(text)));
    }

    @Test
    void position_afterEachLine_pointsPastIt() throws IOException {
        LineSource s = source("ab\ncd\n");

        s.next();
        assertThat(s.position()).isEqualTo(3);
        s.next();
        assertThat(s.position()).isEqualTo(6);
    }

    private static LineSource source(String text) {
        return new LineSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /** Each result as "KIND offset text", up to and including END. */
    private static List<String> readAll(LineSource s) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            Kind k = s.next();
            String text = k == Kind.LINE || k == Kind.UNTERMINATED
                    ? new String(s.bytes(), s.from(), s.length(), StandardCharsets.US_ASCII) : "";
            out.add(k + " " + s.offset() + " " + text);
            if (k == Kind.END) {
                return out;
            }
        }
    }
}
