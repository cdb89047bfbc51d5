package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * Stand-ins for the binaries a Mirai infection moves: a well-formed ELF32 little-endian
 * ARM executable header (EABI5, statically linked, stripped of section headers) with two
 * PT_LOAD program headers, followed by seeded random bytes where the code and data would
 * be. Nothing here is runnable; it only has to look like an ARM binary to a parser.
 *
 * <pre>
 *  ELF header (52)   7f 'E' 'L' 'F' | class 1 (32-bit) | data 1 (LE) | version 1 | OS ABI 0 | pad 8 |
 *                    type 2 (EXEC) | machine 40 (ARM) | version 1 | entry | phoff 52 | shoff 0 |
 *                    flags 0x05000002 | ehsize 52 | phentsize 32 | phnum 2 | shentsize 40 | shnum 0 | shstrndx 0
 *  program header    type | offset | vaddr | paddr | filesz | memsz | flags | align   (32 each)
 * </pre>
 */
final class FakeElf {
    static final int HEADER = 52 + 2 * 32;
    private static final int BASE = 0x8000;

    private FakeElf() {
    }

    /** An ARM executable of exactly {@code size} bytes (at least {@value #HEADER}); the same seed gives the same bytes. */
    static byte[] arm(int size, long seed) {
        if (size < HEADER) {
            throw new IllegalArgumentException("an ELF needs " + HEADER + " bytes, not " + size);
        }
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        int text = size * 7 / 8 & ~3;
        int data = size - text;
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 1;
        b[5] = 1;
        b[6] = 1;
        java.util.Arrays.fill(b, 7, 16, (byte) 0);
        int at = 16;
        at = le16(b, at, 2);
        at = le16(b, at, 40);
        at = le32(b, at, 1);
        at = le32(b, at, BASE + HEADER);
        at = le32(b, at, 52);
        at = le32(b, at, 0);
        at = le32(b, at, 0x0500_0002);
        at = le16(b, at, 52);
        at = le16(b, at, 32);
        at = le16(b, at, 2);
        at = le16(b, at, 40);
        at = le16(b, at, 0);
        at = le16(b, at, 0);
        at = programHeader(b, at, 0, BASE, text, 5);
        programHeader(b, at, text, BASE + 0x10000 + text, data, 6);
        return b;
    }

    private static int programHeader(byte[] b, int at, int offset, int vaddr, int size, int flags) {
        at = le32(b, at, 1);
        at = le32(b, at, offset);
        at = le32(b, at, vaddr);
        at = le32(b, at, vaddr);
        at = le32(b, at, size);
        at = le32(b, at, flags == 6 ? size + 0x4000 : size);
        at = le32(b, at, flags);
        return le32(b, at, 0x8000);
    }

    private static int le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        return at + 2;
    }

    private static int le32(byte[] b, int at, int v) {
        le16(b, at, v);
        le16(b, at + 2, v >>> 16);
        return at + 4;
    }

    /** Mirai's loader's echo lines: 128 bytes of the file per line, each byte as \xNN (binary.c). */
    static String hexEscaped(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * 4);
        for (int i = from; i < to; i++) {
            sb.append("\\x").append(Character.forDigit((b[i] >>> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb.toString();
    }
}
