package io.bulwark.decode.netflow;

/** IPFIX messages written field by field (RFC 7011), shared by the IPFIX tests and the fuzz seeds. */
final class IpfixFixtures {
    static final long SECS = 1_700_000_000L;
    static final long DOMAIN = 42;
    /** NTP seconds of SECS (RFC 5905: 2,208,988,800 s between 1900 and 1970). */
    static final long NTP_SECS = SECS + 2_208_988_800L;

    private IpfixFixtures() {
    }

    /** Message header; the length is patched by {@link #done}. */
    static ExportBytes header(long exportSecs, long seq) {
        return new ExportBytes()
                .u16(10)                // version
                .u16(0)                 // length, patched
                .u32(exportSecs)        // export time, s
                .u32(seq)               // sequence: data records sent before this message
                .u32(DOMAIN);           // observation domain id
    }

    static byte[] done(ExportBytes b) {
        byte[] m = b.bytes();
        return ExportBytes.put16(m, 2, m.length);
    }

    /** Template 300: IPv4 5-tuple, 2-byte flags, reduced-size packets, millisecond times (43-byte records). */
    static ExportBytes template300(ExportBytes b) {
        return b.u16(2).u16(4 + 4 + 10 * 4) // set id 2 (templates), length 48
                .u16(300).u16(10)       // template id, field count
                .u16(8).u16(4)          // sourceIPv4Address
                .u16(12).u16(4)         // destinationIPv4Address
                .u16(7).u16(2)          // sourceTransportPort
                .u16(11).u16(2)         // destinationTransportPort
                .u16(4).u16(1)          // protocolIdentifier
                .u16(6).u16(2)          // tcpControlBits, 2 bytes (RFC 7125)
                .u16(1).u16(8)          // octetDeltaCount
                .u16(2).u16(4)          // packetDeltaCount, reduced size (RFC 7011 section 6.2)
                .u16(152).u16(8)        // flowStartMilliseconds
                .u16(153).u16(8);       // flowEndMilliseconds
    }

    static ExportBytes data300(ExportBytes b) {
        return b.u16(300).u16(4 + 43 + 1) // data set, one record, 1 byte padding
                .ip("10.1.1.1").ip("10.1.1.2").u16(50000).u16(80).u8(6)
                .u16(0x0118)            // flags: ACK|PSH, plus a bit above the low 8 (NS)
                .u64(1500).u32(3)
                .u64(SECS * 1000 - 2000).u64(SECS * 1000 - 500)
                .u8(0);
    }

    /** Template 301: IPv6 ICMP, an enterprise field, a variable-length field, NTP microsecond times. */
    static ExportBytes template301(ExportBytes b) {
        return b.u16(2).u16(4 + 4 + 10 * 4 + 4)
                .u16(301).u16(10)
                .u16(27).u16(16)        // sourceIPv6Address
                .u16(28).u16(16)        // destinationIPv6Address
                .u16(4).u16(1)          // protocolIdentifier
                .u16(139).u16(2)        // icmpTypeCodeIPv6
                .u16(0x8000 | 100).u16(4).u32(9) // enterprise 9 (Cisco) element 100: skipped
                .u16(82).u16(65535)     // interfaceName, variable length
                .u16(2).u16(1)          // packetDeltaCount, 1 byte
                .u16(1).u16(2)          // octetDeltaCount, 2 bytes
                .u16(154).u16(8)        // flowStartMicroseconds (NTP)
                .u16(155).u16(8);       // flowEndMicroseconds
    }

    static ExportBytes data301(ExportBytes b) {
        return b.u16(301).u16(4 + 63 + 361 + 1) // records of 63 and 361 bytes, 1 byte padding
                .ip("2001:db8::1").ip("2001:db8::2").u8(58)
                .u16(0x8000)            // type 128 (echo request), code 0
                .u32(0xdeadbeefL)       // the enterprise field
                .u8(4).bytes("eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) // 1-byte length
                .u8(1).u16(104)
                .u32(NTP_SECS).u32(0x8000_0000L) // +0.5 s
                .u32(NTP_SECS + 1).u32(0)
                // second record: the 3-byte length form (255, then 2 bytes) for 300 bytes
                .ip("2001:db8::2").ip("2001:db8::1").u8(58)
                .u16(0x8100)            // type 129 (echo reply)
                .u32(0)
                .u8(255).u16(300).zeros(300)
                .u8(1).u16(104)
                .u32(NTP_SECS + 1).u32(0).u32(NTP_SECS + 1).u32(0)
                .u8(0);                 // padding, shorter than a record
    }

    /** Template 302: an RFC 5103 biflow with reverse counters and second-resolution times. */
    static ExportBytes template302(ExportBytes b) {
        return b.u16(2).u16(4 + 4 + 13 * 4 + 3 * 4)
                .u16(302).u16(13)
                .u16(8).u16(4).u16(12).u16(4).u16(7).u16(2).u16(11).u16(2).u16(4).u16(1)
                .u16(1).u16(4)          // octetDeltaCount
                .u16(2).u16(4)          // packetDeltaCount
                .u16(6).u16(1)          // tcpControlBits
                .u16(0x8000 | 1).u16(4).u32(29305) // reverseOctetDeltaCount
                .u16(0x8000 | 2).u16(4).u32(29305) // reversePacketDeltaCount
                .u16(0x8000 | 6).u16(1).u32(29305) // reverseTcpControlBits
                .u16(150).u16(4)        // flowStartSeconds
                .u16(151).u16(4);       // flowEndSeconds
    }

    static ExportBytes data302(ExportBytes b) {
        return b.u16(302).u16(4 + 39 + 1)
                .ip("10.1.1.3").ip("10.1.1.4").u16(1234).u16(53).u8(17)
                .u32(100).u32(2).u8(0)
                .u32(300).u32(2).u8(0)
                .u32(SECS - 10).u32(SECS - 9)
                .u8(0);
    }

    /** Templates 300-302 and one data set each: 4 records (1 + 2 + 1). */
    static byte[] templatesAndData(long seq) {
        return done(data302(data301(data300(template302(template301(template300(header(SECS, seq))))))));
    }

    /**
     * Options template 400 (scope observationDomainId; samplingPacketInterval/Space and
     * systemInitTimeMilliseconds), its record announcing 1 in 10 and boot at SECS - 3600 s,
     * template 303 with uptime times, and one data record of it.
     */
    static byte[] optionsAndUptimeData(long seq) {
        ExportBytes b = header(SECS, seq)
                .u16(3).u16(4 + 6 + 4 * 4 + 2) // set id 3 (options templates), 2 bytes padding
                .u16(400).u16(4).u16(1) // template id, field count, scope field count
                .u16(149).u16(4)        // scope: observationDomainId
                .u16(305).u16(4)        // samplingPacketInterval: 1 packet selected...
                .u16(306).u16(4)        // samplingPacketSpace: ...then 9 skipped
                .u16(160).u16(8)        // systemInitTimeMilliseconds
                .u16(0)
                .u16(400).u16(4 + 20)
                .u32(DOMAIN).u32(1).u32(9).u64((SECS - 3600) * 1000)
                .u16(2).u16(4 + 4 + 7 * 4)
                .u16(303).u16(7)
                .u16(8).u16(4).u16(12).u16(4).u16(4).u16(1)
                .u16(1).u16(4).u16(2).u16(4)
                .u16(22).u16(4)         // flowStartSysUpTime, ms since systemInitTime
                .u16(21).u16(4)         // flowEndSysUpTime
                .u16(303).u16(4 + 25)
                .ip("10.2.2.2").ip("10.2.2.3").u8(17).u32(200).u32(2)
                .u32(3_598_000).u32(3_599_000);
        return done(b);
    }
}
