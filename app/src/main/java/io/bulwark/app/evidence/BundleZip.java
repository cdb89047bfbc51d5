package io.bulwark.app.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The zip form of an evidence bundle, written one way and read back only in that way, so that
 * every zip reader sees the same files with the same bytes (APPNOTE.TXT 6.3.10, sections 4.3.7,
 * 4.3.12 and 4.3.16).
 *
 * <p>A zip can be read two ways: from its local headers in order (streaming readers, and Bulwark's
 * verify until it was fixed) or from its central directory (unzip, Python's zipfile, bsdtar on a
 * file). A file that means one thing one way and another the other way is the forger's tool: a
 * second archive appended to a genuine one, an entry the central directory does not list, a local
 * header that names another size or file. So the writer makes exactly one form, and the reader
 * accepts exactly that form and refuses anything else with a one-line reason naming the entry:
 *
 * <pre>
 *  offset 0   local header 1 | name 1 | data 1       every entry stored (method 0), no extra
 *             local header 2 | name 2 | data 2       fields, no data descriptor, flags 0,
 *             ...                                     sizes and CRC-32 in the local header
 *  cd start   central header 1 | name 1              in the order of the data, each naming
 *             central header 2 | name 2              the offset where the previous entry ends
 *             ...
 *  len - 22   end of central directory               no comment, one disk, no ZIP64
 * </pre>
 *
 * Every byte of the file belongs to exactly one of these structures, and every field of every
 * header holds the value the writer puts there. Names are plain file names
 * ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most 64 bytes): no directories, no {@code ..}, no
 * absolute paths, no backslashes, no two differing only in case.
 *
 * <p>Bounds: at most {@value #MAX_ENTRIES} entries, 64 MiB each and 128 MiB in all, so a file
 * larger than {@link #MAX_ARCHIVE_BYTES} is refused unread. A declared size is compared with these
 * bounds and with the bytes the file really holds before anything is allocated for it; the reader
 * holds the entries' bytes and the central directory, nothing else.
 */
public final class BundleZip {
    static final int MAX_ENTRIES = 32;
    static final long MAX_ENTRY_BYTES = 64L << 20;
    /** All entries together, at most: verify holds a received bundle's entries in memory. */
    static final long MAX_TOTAL_BYTES = 128L << 20;
    static final int MAX_NAME_BYTES = 64;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int LOCAL_SIZE = 30;
    private static final int CENTRAL_SIZE = 46;
    private static final int END_SIZE = 22;
    /** Version made by: MS-DOS attributes (0), APPNOTE 2.0; no Unix mode bits to disagree about. */
    private static final int MADE_BY = 20;
    /** Version needed to extract a stored entry (APPNOTE 4.4.3.2). */
    private static final int NEEDED = 10;

    /** The largest file that can hold the largest bundle. */
    static final long MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES
            + MAX_ENTRIES * (long) (LOCAL_SIZE + CENTRAL_SIZE + 2 * MAX_NAME_BYTES) + END_SIZE;

    private BundleZip() {
    }

    /** The file is not a zip in the one form Bulwark writes; the message is one line naming the entry. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Writes {@code files}, in their iteration order, each dated {@code time} (UTC, to the two
     * seconds a zip date holds; clamped to 1980..2107). The same arguments give the same bytes.
     *
     * @throws IllegalArgumentException for a name {@link #read} would refuse, or too many or too large files
     */
    public static void write(OutputStream out, Map<String, byte[]> files, Instant time) throws IOException {
        if (files.isEmpty() || files.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(files.size() + " files: a bundle holds 1 to " + MAX_ENTRIES);
        }
        long total = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (!NAME.matcher(f.getKey()).matches()) {
                throw new IllegalArgumentException("not a plain file name: " + f.getKey());
            }
            if (f.getValue().length > MAX_ENTRY_BYTES || (total += f.getValue().length) > MAX_TOTAL_BYTES) {
                throw new IllegalArgumentException(f.getKey() + ": the bundle would exceed " + (MAX_ENTRY_BYTES >> 20)
                        + " MiB for one file or " + (MAX_TOTAL_BYTES >> 20) + " MiB in all");
            }
        }
        int[] dos = dosDateTime(time);
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        long offset = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] name = f.getKey().getBytes(StandardCharsets.US_ASCII);
            byte[] data = f.getValue();
            CRC32 crc = new CRC32();
            crc.update(data);
            int c = (int) crc.getValue();
            ByteBuffer l = le(LOCAL_SIZE);
            l.putInt(LOCAL).putShort((short) NEEDED).putShort((short) 0).putShort((short) 0)
                    .putShort((short) dos[1]).putShort((short) dos[0]).putInt(c).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) 0);
            out.write(l.array());
            out.write(name);
            out.write(data);
            ByteBuffer h = le(CENTRAL_SIZE);
            h.putInt(CENTRAL).putShort((short) MADE_BY).putShort((short) NEEDED).putShort((short) 0).putShort((short) 0)
                    .putShort((short) dos[1]).putShort((short) dos[0]).putInt(c).putInt(data.length).putInt(data.length)
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt((int) offset);
            central.write(h.array());
            central.write(name);
            offset += LOCAL_SIZE + name.length + data.length;
        }
        central.writeTo(out);
        ByteBuffer e = le(END_SIZE);
        e.putInt(END).putShort((short) 0).putShort((short) 0).putShort((short) files.size())
                .putShort((short) files.size()).putInt(central.size()).putInt((int) offset).putShort((short) 0);
        out.write(e.array());
    }

    /** {date, time} in MS-DOS form (APPNOTE 4.4.6) of {@code t} in UTC. */
    static int[] dosDateTime(Instant t) {
        LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        if (d.getYear() < 1980) {
            d = LocalDateTime.of(1980, 1, 1, 0, 0);
        } else if (d.getYear() > 2107) {
            d = LocalDateTime.of(2107, 12, 31, 23, 59, 58);
        }
        return new int[] {(d.getYear() - 1980) << 9 | d.getMonthValue() << 5 | d.getDayOfMonth(),
                d.getHour() << 11 | d.getMinute() << 5 | d.getSecond() / 2};
    }

    /** One central-directory entry, its fields as read. */
    private record Central(String name, int flags, int method, int time, int date, int crc, long size, long offset) {
    }

    /**
     * The entries of a bundle, in archive order, with exactly the bytes the file holds for them.
     *
     * @throws Malformed for anything but the form {@link #write} makes, naming the entry
     * @throws IOException when the file cannot be read
     */
    public static Map<String, byte[]> read(Path zip) throws IOException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            return read(new Source() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public ByteBuffer at(long pos, int n) throws IOException {
                    ByteBuffer b = ByteBuffer.allocate(n);
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            throw new Malformed("the file ended at " + (pos + b.position()) + " while being read (it changed?)");
                        }
                    }
                    return b.flip().order(ByteOrder.LITTLE_ENDIAN);
                }
            });
        }
    }

    /** {@link #read(Path)} of an archive already in memory. */
    static Map<String, byte[]> read(byte[] zip) throws IOException {
        return read(new Source() {
            @Override
            public long size() {
                return zip.length;
            }

            @Override
            public ByteBuffer at(long pos, int n) {
                return ByteBuffer.wrap(java.util.Arrays.copyOfRange(zip, (int) pos, (int) pos + n)).order(ByteOrder.LITTLE_ENDIAN);
            }
        });
    }

    /** Positional reads of an archive; the reader bounds every {@code n} by the size before asking. */
    private interface Source {
        long size();

        ByteBuffer at(long pos, int n) throws IOException;
    }

    private static Map<String, byte[]> read(Source in) throws IOException {
        long len = in.size();
        if (len > MAX_ARCHIVE_BYTES) {
            throw new Malformed(len + " bytes: larger than the " + MAX_ARCHIVE_BYTES + " bytes the largest bundle takes ("
                    + MAX_ENTRIES + " files, " + (MAX_TOTAL_BYTES >> 20) + " MiB in all)");
        }
        if (len < END_SIZE) {
            throw new Malformed(len + " bytes: too short for a zip archive");
        }
        long endAt = len - END_SIZE;
        ByteBuffer end = in.at(endAt, END_SIZE);
        if (end.getInt(0) != END) {
            throw new Malformed(tail(in, len));
        }
        int disk = u16(end, 4);
        int cdDisk = u16(end, 6);
        int onDisk = u16(end, 8);
        int count = u16(end, 10);
        long cdSize = u32(end, 12);
        long cdOffset = u32(end, 16);
        if (count == 0xffff || cdSize == 0xffff_ffffL || cdOffset == 0xffff_ffffL
                || endAt >= 20 && in.at(endAt - 20, 4).getInt(0) == ZIP64_LOCATOR) {
            throw new Malformed("ZIP64 end records: Bulwark writes no ZIP64");
        }
        if (disk != 0 || cdDisk != 0 || onDisk != count) {
            throw new Malformed("a multi-disk archive (disk " + disk + ", central directory on disk " + cdDisk + ", "
                    + onDisk + " of " + count + " entries on this disk): Bulwark writes one file");
        }
        if (u16(end, 20) != 0) {
            throw new Malformed("the end-of-central-directory record declares a " + u16(end, 20)
                    + "-byte comment: Bulwark writes none");
        }
        if (count == 0) {
            throw new Malformed("the central directory lists no entries");
        }
        if (count > MAX_ENTRIES) {
            throw new Malformed("the central directory lists " + count + " entries: a bundle holds at most " + MAX_ENTRIES);
        }
        if (cdSize > (long) count * (CENTRAL_SIZE + MAX_NAME_BYTES) || cdSize > endAt) {
            throw new Malformed("the central directory's declared size " + cdSize + " is more than " + count
                    + " entries take or the file holds");
        }
        long cdStart = endAt - cdSize;
        if (cdOffset != cdStart) {
            if (cdOffset < cdStart) {
                long extra = cdStart - cdOffset;
                boolean archive = extra >= END_SIZE && in.at(extra - END_SIZE, 4).getInt(0) == END;
                throw new Malformed(extra + " bytes before the archive the end record describes (its central directory is at "
                        + cdStart + ", the record says " + cdOffset + ")"
                        + (archive ? ": they end with another end-of-central-directory record, two archives joined in one file"
                        : ": data prepended to the archive"));
            }
            throw new Malformed("the end record puts the central directory at " + cdOffset + ", but it must start at "
                    + cdStart + " to end where the record begins: the archive is cut short or altered");
        }
        ByteBuffer cd = in.at(cdStart, (int) cdSize);
        Central[] entries = new Central[count];
        Map<String, String> seen = new HashMap<>();
        long declared = 0;
        int p = 0;
        for (int i = 0; i < count; i++) {
            if (p + CENTRAL_SIZE > cdSize) {
                throw new Malformed("the central directory ends inside its entry " + (i + 1) + " of " + count);
            }
            if (cd.getInt(p) != CENTRAL) {
                throw new Malformed("central directory entry " + (i + 1) + " at offset " + (cdStart + p)
                        + " has no central header signature");
            }
            int nameLen = u16(cd, p + 28);
            if (nameLen > cdSize - p - CENTRAL_SIZE) {
                throw new Malformed("central directory entry " + (i + 1) + "'s name runs past the end of the central directory");
            }
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + CENTRAL_SIZE, nameBytes);
            String name = plainName(nameBytes);
            Central c = new Central(name, u16(cd, p + 8), u16(cd, p + 10), u16(cd, p + 12), u16(cd, p + 14),
                    cd.getInt(p + 16), u32(cd, p + 24), u32(cd, p + 42));
            long packed = u32(cd, p + 20);
            if (packed == 0xffff_ffffL || c.size() == 0xffff_ffffL || c.offset() == 0xffff_ffffL) {
                throw new Malformed(name + ": ZIP64 sizes or offset: Bulwark writes no ZIP64");
            }
            sameAsWriter(name, "central directory entry", c.flags(), c.method(), u16(cd, p + 6), u16(cd, p + 30));
            expect(name, "version made by", u16(cd, p + 4), MADE_BY);
            expect(name, "comment length", u16(cd, p + 32), 0);
            expect(name, "disk number", u16(cd, p + 34), 0);
            expect(name, "internal attributes", u16(cd, p + 36), 0);
            expect(name, "external attributes", u32(cd, p + 38), 0);
            if (packed != c.size()) {
                throw new Malformed(name + ": stored, but its compressed size " + packed + " differs from its size " + c.size());
            }
            if (c.size() > MAX_ENTRY_BYTES) {
                throw new Malformed(name + ": declared size " + c.size() + " bytes, more than the " + (MAX_ENTRY_BYTES >> 20)
                        + " MiB a bundle file may have");
            }
            if ((declared += c.size()) > MAX_TOTAL_BYTES) {
                throw new Malformed(name + ": the entries up to this one declare " + declared + " bytes, more than the "
                        + (MAX_TOTAL_BYTES >> 20) + " MiB a bundle may hold");
            }
            String before = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (before != null) {
                throw new Malformed(name + ": listed twice in the central directory"
                        + (before.equals(name) ? "" : " (as " + before + " and " + name + ", one file where case is ignored)"));
            }
            if (i > 0 && c.offset() <= entries[i - 1].offset()) {
                throw new Malformed(name + ": listed after " + entries[i - 1].name() + " but its data is at offset "
                        + c.offset() + (c.offset() == entries[i - 1].offset() ? ", the same as " : ", before ")
                        + entries[i - 1].name() + "'s at " + entries[i - 1].offset()
                        + ": the central directory is not in the order of the data");
            }
            entries[i] = c;
            p += CENTRAL_SIZE + nameLen;
        }
        if (p != cdSize) {
            throw new Malformed((cdSize - p) + " bytes in the central directory after its " + count + " entries");
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        long expected = 0;
        String previous = null;
        for (Central c : entries) {
            if (c.offset() != expected) {
                throw new Malformed(layout(in, c, expected, previous, cdStart));
            }
            if (c.offset() + LOCAL_SIZE > cdStart) {
                throw new Malformed(c.name() + ": its local header at " + c.offset() + " runs into the central directory");
            }
            ByteBuffer l = in.at(c.offset(), LOCAL_SIZE);
            if (l.getInt(0) != LOCAL) {
                throw new Malformed(c.name() + ": no local header at offset " + c.offset());
            }
            agree(c, "general-purpose flags", u16(l, 6), c.flags());
            agree(c, "compression method", u16(l, 8), c.method());
            agree(c, "modification time", u16(l, 10), c.time());
            agree(c, "modification date", u16(l, 12), c.date());
            agree(c, "CRC-32", u32(l, 14), c.crc() & 0xffff_ffffL);
            agree(c, "compressed size", u32(l, 18), c.size());
            agree(c, "size", u32(l, 22), c.size());
            int nameLen = u16(l, 26);
            byte[] nameBytes = c.name().getBytes(StandardCharsets.US_ASCII);
            if (nameLen != nameBytes.length || c.offset() + LOCAL_SIZE + nameLen > cdStart
                    || !java.util.Arrays.equals(in.at(c.offset() + LOCAL_SIZE, nameLen).array(), nameBytes)) {
                String local = nameLen > MAX_NAME_BYTES || c.offset() + LOCAL_SIZE + nameLen > cdStart ? "a " + nameLen + "-byte name"
                        : printable(in.at(c.offset() + LOCAL_SIZE, nameLen).array());
                throw new Malformed(c.name() + ": its local header names " + local + ", the central directory " + c.name());
            }
            sameAsWriter(c.name(), "local header", c.flags(), c.method(), u16(l, 4), u16(l, 28));
            long dataAt = c.offset() + LOCAL_SIZE + nameLen;
            if (c.size() > cdStart - dataAt) {
                throw new Malformed(c.name() + ": its " + c.size() + " bytes at offset " + dataAt
                        + " run past the central directory at " + cdStart + " (cut short, or a false size)");
            }
            byte[] data = in.at(dataAt, (int) c.size()).array();
            CRC32 crc = new CRC32();
            crc.update(data);
            if ((int) crc.getValue() != c.crc()) {
                throw new Malformed(c.name() + ": its " + data.length + " bytes have CRC-32 " + hex32((int) crc.getValue())
                        + ", the archive declares " + hex32(c.crc()) + " (the bytes were altered)");
            }
            files.put(c.name(), data);
            expected = dataAt + c.size();
            previous = c.name();
        }
        if (expected != cdStart) {
            throw new Malformed(layout(in, null, expected, previous, cdStart));
        }
        return files;
    }

    /** Why an entry does not start where the previous one ends (or the central directory where the last one does). */
    private static String layout(Source in, Central c, long expected, String previous, long cdStart) throws IOException {
        long next = c == null ? cdStart : c.offset();
        if (next < expected) {
            return c.name() + ": its local header at " + next + " overlaps " + previous + ", which ends at " + expected;
        }
        String where = (previous == null ? "before " : "between " + previous + " and ")
                + (c == null ? "the central directory" : c.name());
        String unlisted = unlistedName(in, expected, next);
        if (unlisted != null) {
            return "an entry the central directory does not list, at offset " + expected + " " + where
                    + ": its local header names " + unlisted;
        }
        return (next - expected == 1 ? "1 byte that belongs" : (next - expected) + " bytes that belong")
                + " to no entry, at offset " + expected + " " + where + (previous == null ? ": data prepended to the archive" : "");
    }

    /** The name in a local header at {@code at}, if one is there, printable; else null. */
    private static String unlistedName(Source in, long at, long limit) throws IOException {
        if (limit - at < LOCAL_SIZE) {
            return null;
        }
        ByteBuffer l = in.at(at, LOCAL_SIZE);
        if (l.getInt(0) != LOCAL) {
            return null;
        }
        int n = Math.min(u16(l, 26), MAX_NAME_BYTES);
        return printable(in.at(at + LOCAL_SIZE, (int) Math.min(n, limit - at - LOCAL_SIZE)).array());
    }

    private static String tail(Source in, long len) throws IOException {
        int n = (int) Math.min(len, 0xffff + END_SIZE);
        ByteBuffer t = in.at(len - n, n);
        for (int i = n - END_SIZE; i >= 0; i--) {
            if (t.getInt(i) == END) {
                long endAt = len - n + i;
                long after = len - endAt - END_SIZE;
                return u16(t, i + 20) == after
                        ? "a zip comment of " + after + " bytes follows the end-of-central-directory record: Bulwark writes none"
                        : after + " bytes follow the end-of-central-directory record at offset " + endAt
                        + ": data appended to the archive";
            }
        }
        return "no end-of-central-directory record in its last " + n
                + " bytes: not a zip archive, one cut short, or one with data appended";
    }

    /** The entry's name if it is a plain file name; else refuses it, saying why. */
    private static String plainName(byte[] b) throws Malformed {
        String shown = printable(b);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (b.length == 0) {
            throw new Malformed("an entry with an empty name");
        }
        if (s.startsWith("/") || s.startsWith("\\") || s.length() > 1 && s.charAt(1) == ':') {
            throw new Malformed(shown + ": an absolute path: bundle entries are plain file names");
        }
        if (s.contains("\\")) {
            throw new Malformed(shown + ": a backslash in the name: bundle entries are plain file names");
        }
        if (s.equals("..") || s.startsWith("../") || s.contains("/../") || s.endsWith("/..")) {
            throw new Malformed(shown + ": a path that climbs out of its directory (..): bundle entries are plain file names");
        }
        if (s.contains("/")) {
            throw new Malformed(shown + ": a path with a directory: bundle entries are plain file names");
        }
        if (!NAME.matcher(s).matches()) {
            throw new Malformed(shown + ": not a plain file name of at most " + MAX_NAME_BYTES
                    + " bytes from A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return s;
    }

    /** The fields the writer fixes, as a header holds them. */
    private static void sameAsWriter(String name, String header, int flags, int method, int needed, int extra)
            throws Malformed {
        if (method != 0) {
            throw new Malformed(name + ": compression method " + method + (method == 8 ? " (deflate)" : "")
                    + " in its " + header + ": Bulwark writes stored entries (method 0) only");
        }
        if (flags != 0) {
            throw new Malformed(name + ": general-purpose flags " + hex16(flags) + " in its " + header
                    + ((flags & 1) != 0 ? " (encrypted)" : (flags & 8) != 0 ? " (sizes in a data descriptor)" : "")
                    + ": Bulwark writes 0x0000");
        }
        if (needed != NEEDED) {
            throw new Malformed(name + ": version needed to extract " + needed + " in its " + header
                    + ": Bulwark writes " + NEEDED);
        }
        if (extra != 0) {
            throw new Malformed(name + ": " + extra + " bytes of extra fields in its " + header + ": Bulwark writes none");
        }
    }

    private static void expect(String name, String field, long value, long wanted) throws Malformed {
        if (value != wanted) {
            throw new Malformed(name + ": " + field + " " + value + " in its central directory entry: Bulwark writes " + wanted);
        }
    }

    private static void agree(Central c, String field, long local, long central) throws Malformed {
        if (local != central) {
            String f = field.equals("CRC-32") ? hex32((int) local) + " differs from the central directory's "
                    + hex32((int) central) : local + " differs from the central directory's " + central;
            throw new Malformed(c.name() + ": its local header's " + field + " " + f);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffff_ffffL;
    }

    /** A name from the file, safe to print on one line: 'x' with anything outside printable ASCII as \xNN. */
    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("'");
        for (int i = 0; i < Math.min(b.length, MAX_NAME_BYTES); i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\'') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append(b.length > MAX_NAME_BYTES ? "...'" : "'").toString();
    }

    private static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    private static String hex16(int v) {
        return String.format("0x%04x", v);
    }
}
