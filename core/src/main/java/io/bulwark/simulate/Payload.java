package io.bulwark.simulate;

/**
 * The bytes of one application message (a request, a response, a video chunk), written
 * piece by piece as TCP segments carry it. Implementations are immutable: the same range
 * always gives the same bytes, so a message never needs to exist whole in memory.
 */
interface Payload {
    int length();

    /** Appends bytes {@code [from, from + n)} of the message to {@code f}; n is at most one segment. */
    void write(Frame f, int from, int n);

    /**
     * TLS 1.2/1.3 application data (RFC 8446 section 5.2): records of at most 16384 bytes,
     * each behind a 5-byte header (type 23, version 0x0303, length), bodies of ciphertext.
     * The length is nudged up so the last record is not shorter than its header.
     */
    record Tls(int length, Noise noise, long key) implements Payload {
        static final int RECORD = 16_384;
        static final int HEADER = 5;

        public Tls {
            // A record carries at least one byte and, with AEAD, a 16-byte tag.
            length = Math.max(length, HEADER + 17);
            int tail = length % (RECORD + HEADER);
            if (tail > 0 && tail < HEADER + 17) {
                length += HEADER + 17 - tail;
            }
        }

        @Override
        public void write(Frame f, int from, int n) {
            int at = f.position();
            noise.random(f, key + from, n);
            int stride = RECORD + HEADER;
            for (int start = from / stride * stride; start < from + n; start += stride) {
                int body = Math.min(RECORD, length - start - HEADER);
                for (int k = 0; k < HEADER; k++) {
                    int pos = start + k;
                    if (pos >= from && pos < from + n) {
                        f.set8(at + pos - from, headerByte(k, body));
                    }
                }
            }
        }

        private static int headerByte(int k, int body) {
            return switch (k) {
                case 0 -> 23;
                case 1, 2 -> 3;
                case 3 -> body >>> 8;
                default -> body;
            };
        }
    }

    /** A text protocol message: a head (HTTP request or response headers) then a text body. */
    record Text(byte[] head, int bodyLength, Noise noise, long key) implements Payload {
        @Override
        public int length() {
            return head.length + bodyLength;
        }

        @Override
        public void write(Frame f, int from, int n) {
            int inHead = Math.max(0, Math.min(n, head.length - from));
            if (inHead > 0) {
                f.bytes(head, from, inHead);
            }
            if (n > inHead) {
                noise.text(f, key + from + inHead, n - inHead);
            }
        }
    }

    /**
     * A message held whole: a telnet line, a binary C2 record, a small file. The array is
     * not copied and must not change afterwards.
     */
    record Bytes(byte[] bytes) implements Payload {
        public Bytes {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("a TCP message carries at least one byte");
            }
        }

        /** The low byte of each char: protocol text, or raw bytes written as Java escapes. */
        static Bytes of(String latin1) {
            return new Bytes(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public void write(Frame f, int from, int n) {
            f.bytes(bytes, from, n);
        }
    }
}
