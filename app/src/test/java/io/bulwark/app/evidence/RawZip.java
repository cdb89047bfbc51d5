package io.bulwark.app.evidence;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Zip archives written field by field, as a forger writes them: an entry can be left out of the
 * central directory, listed twice, compressed, or declared with sizes other than its bytes. With
 * no such change it writes exactly what {@link BundleZip#write} writes (a test checks it), so each
 * attack differs from a genuine bundle only in what it changes.
 */
final class RawZip {
    /** One entry; fields left alone take the honest value. */
    static final class Entry {
        final String name;
        byte[] data;
        int method;
        /** Declared size in both headers (compressed and uncompressed); -1: the data's length. */
        long declaredSize = -1;
        boolean listed = true;
        /** After {@link #deflated}: the bytes before compression, which the CRC-32 and size describe. */
        private byte[] crcOf;
        private long size = -1;

        Entry(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }

        /** Compresses the data with raw deflate (method 8), as zip tools other than Bulwark's writer do. */
        Entry deflated() {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            d.end();
            crcOf = data;
            size = data.length;
            data = out.toByteArray();
            method = 8;
            return this;
        }
    }

    private RawZip() {
    }

    static List<Entry> entries(Map<String, byte[]> files) {
        List<Entry> out = new ArrayList<>();
        files.forEach((n, b) -> out.add(new Entry(n, b)));
        return out;
    }

    static byte[] write(List<Entry> entries) {
        int[] dos = BundleZip.dosDateTime(EvidenceFixture.NOW);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        int listed = 0;
        for (Entry e : entries) {
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(e.crcOf == null ? e.data : e.crcOf);
            long packed = e.declaredSize >= 0 ? e.declaredSize : e.data.length;
            long size = e.declaredSize >= 0 ? e.declaredSize : e.size >= 0 ? e.size : e.data.length;
            int needed = e.method == 8 ? 20 : 10;
            long offset = file.size();
            ByteBuffer l = le(30).putInt(0x04034b50).putShort((short) needed).putShort((short) 0)
                    .putShort((short) e.method).putShort((short) dos[1]).putShort((short) dos[0])
                    .putInt((int) crc.getValue()).putInt((int) packed).putInt((int) size)
                    .putShort((short) name.length).putShort((short) 0);
            file.writeBytes(l.array());
            file.writeBytes(name);
            file.writeBytes(e.data);
            if (e.listed) {
                ByteBuffer c = le(46).putInt(0x02014b50).putShort((short) 20).putShort((short) needed)
                        .putShort((short) 0).putShort((short) e.method).putShort((short) dos[1]).putShort((short) dos[0])
                        .putInt((int) crc.getValue()).putInt((int) packed).putInt((int) size)
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putInt(0).putInt((int) offset);
                central.writeBytes(c.array());
                central.writeBytes(name);
                listed++;
            }
        }
        long cdOffset = file.size();
        file.writeBytes(central.toByteArray());
        file.writeBytes(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) listed)
                .putShort((short) listed).putInt(central.size()).putInt((int) cdOffset).putShort((short) 0).array());
        return file.toByteArray();
    }

    /** Where each entry's local header and central-directory entry start in an archive Bulwark wrote. */
    record Offsets(Map<String, Integer> local, Map<String, Integer> central, int end) {
    }

    static Offsets offsets(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        int count = b.getShort(end + 10) & 0xffff;
        int p = b.getInt(end + 16);
        Map<String, Integer> local = new LinkedHashMap<>();
        Map<String, Integer> central = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int n = b.getShort(p + 28) & 0xffff;
            String name = new String(zip, p + 46, n, StandardCharsets.UTF_8);
            central.put(name, p);
            local.put(name, b.getInt(p + 42));
            p += 46 + n;
        }
        return new Offsets(local, central, end);
    }

    /** {@code zip} with the little-endian field of {@code width} bytes at {@code at} set to {@code value}. */
    static byte[] patch(byte[] zip, int at, int width, long value) {
        byte[] c = zip.clone();
        for (int i = 0; i < width; i++) {
            c[at + i] = (byte) (value >>> (8 * i));
        }
        return c;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
