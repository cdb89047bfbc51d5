package io.bulwark.decode.dns;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class DnsNameTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static DnsName.Bytes of(byte[] m) {
        return i -> m[i] & 0xff;
    }

    @Test
    void read_labelsThenPointer_givesBothFormsAndResumesAfterThePointer() {
        // 2 bytes before the message; at message offset 0: "Living Room" "local" 0;
        // at 19: "TV" then a pointer to offset 12 ("local")
        byte[] m = hex("ffff 0b 4c6976696e6720526f6f6d 05 6c6f63616c 00 02 5456 c00c ee");
        StringBuilder written = new StringBuilder();
        assertThat(DnsName.asWritten(of(m), 2, 2, m.length, written)).isEqualTo(2 + 19);
        assertThat(written).hasToString("Living Room.local");
        StringBuilder lower = new StringBuilder();
        assertThat(DnsName.lowerCase(of(m), 2, 21, m.length, lower)).isEqualTo(26);
        assertThat(lower).hasToString("tv.local");
        StringBuilder spaced = new StringBuilder();
        DnsName.lowerCase(of(m), 2, 2, m.length, spaced);
        assertThat(spaced).hasToString("living?room.local");
    }

    @Test
    void read_pointerLoop_endsAfterSixteenJumps() {
        byte[] self = hex("c000");
        assertThat(DnsName.lowerCase(of(self), 0, 0, self.length, new StringBuilder())).isEqualTo(-1);
        // sixteen pointers in a chain, each to the next, then the root: allowed; seventeen are not
        ByteArrayOutputStream chain = new ByteArrayOutputStream();
        for (int i = 1; i <= DnsName.MAX_JUMPS + 1; i++) {
            chain.write(0xc0);
            chain.write(2 * i);
        }
        chain.write(0);
        byte[] c = chain.toByteArray();
        int last = 2 * (DnsName.MAX_JUMPS + 1);
        assertThat(DnsName.lowerCase(of(c), 0, 2, c.length, new StringBuilder())).isEqualTo(4);
        assertThat(DnsName.lowerCase(of(c), 0, 0, c.length, new StringBuilder())).isEqualTo(-1);
        assertThat(c[last]).isZero();
    }

    @Test
    void read_everyTruncation_neverReadsPastTheEnd() {
        byte[] m = hex("03 636e63 07 6578616d706c65 03 636f6d 00");
        for (int end = 0; end < m.length; end++) {
            byte[] cut = java.util.Arrays.copyOf(m, end);
            assertThat(DnsName.asWritten(of(cut), 0, 0, end, new StringBuilder())).isEqualTo(-1);
        }
        StringBuilder out = new StringBuilder();
        assertThat(DnsName.asWritten(of(m), 0, 0, m.length, out)).isEqualTo(m.length);
        assertThat(out).hasToString("cnc.example.com");
    }

    @Test
    void read_nameOverMaxLength_orReservedLabelType_isMalformed() {
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) { // 4 x 63 characters and 3 dots: 255, the most kept
            w.write(63);
            w.writeBytes("a".repeat(63).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        w.write(0);
        byte[] fits = w.toByteArray();
        StringBuilder out = new StringBuilder();
        assertThat(DnsName.lowerCase(of(fits), 0, 0, fits.length, out)).isEqualTo(fits.length);
        assertThat(out).hasSize(DnsName.MAX_LENGTH);
        byte[] big = java.util.Arrays.copyOf(fits, fits.length + 2); // one more label, "b": 257
        big[fits.length - 1] = 1;
        big[fits.length] = 'b';
        assertThat(DnsName.lowerCase(of(big), 0, 0, big.length, new StringBuilder())).isEqualTo(-1);
        byte[] reserved = hex("41 61 00"); // label type 01
        assertThat(DnsName.lowerCase(of(reserved), 0, 0, reserved.length, new StringBuilder())).isEqualTo(-1);
    }
}
