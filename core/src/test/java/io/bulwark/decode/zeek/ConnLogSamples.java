package io.bulwark.decode.zeek;

/**
 * Small conn.log texts for the reader tests. Rows are written with '|' between columns
 * and turned into tabs, so that the columns stay readable here. The header is the one
 * Zeek 2.5 wrote for the IoT-23 captures (Stratosphere Lab, CTU; CC BY 4.0); the rows
 * are taken from those captures unless marked as made up.
 */
final class ConnLogSamples {
    static final String HEADER = tabs("""
            #separator \\x09
            #set_separator|,
            #empty_field|(empty)
            #unset_field|-
            #path|conn
            #open|2018-07-31-13-15-11
            #fields|ts|uid|id.orig_h|id.orig_p|id.resp_h|id.resp_p|proto|service|duration|orig_bytes|resp_bytes\
            |conn_state|local_orig|local_resp|missed_bytes|history|orig_pkts|orig_ip_bytes|resp_pkts|resp_ip_bytes\
            |tunnel_parents
            #types|time|string|addr|port|addr|port|enum|string|interval|count|count|string|bool|bool|count|string\
            |count|count|count|count|set[string]
            """);

    /** Capture 8-1, first row: an NTP exchange, one packet each way (UDP, so no TCP flags). */
    static final String NTP = tabs("1533042911.474174|C5JLGOoxIw2dBZt47|192.168.100.113|123|81.2.254.224|123|udp|-"
            + "|0.005490|48|48|SF|-|-|0|Dd|1|76|1|76|(empty)\n");

    /** Capture 42-1: a complete HTTP connection, handshake (Sh A), data both ways, FIN both ways. */
    static final String HTTP = tabs("1547127288.026074|CXY5uG2sSmjJ0grfY2|192.168.1.197|58312|104.24.96.120|80|tcp"
            + "|http|3.909013|83|67212|SF|-|-|4380|ShADadttFf|54|3371|50|69224|-\n");

    /** Capture 42-1, last row: duration and payload bytes unset, no answer (S0). */
    static final String UNSET = tabs("1547157330.030005|Cb4VXV3tOHGjcsI0cf|192.168.1.197|123|82.113.53.40|123|udp"
            + "|-|-|-|-|S0|-|-|0|D|1|76|0|0|-\n");

    /** Made up: an answered ping; Zeek logs the ICMP type as orig_p and the code as resp_p. */
    static final String PING = tabs("1533042920.5|CpingV4aaaaaaaaaa|192.168.100.113|8|8.8.8.8|0|icmp|-"
            + "|0.010000|56|56|OTH|-|-|0|-|1|84|1|84|-\n");

    /** Made up: an ICMPv6 echo request, which Zeek also calls "icmp". */
    static final String PING6 = tabs("1533042921.000000|CpingV6aaaaaaaaaa|2001:db8::1|128|2001:db8::2|0|icmp|-"
            + "|-|-|-|OTH|-|-|0|-|1|104|0|0|-\n");

    static final String CLOSE = "#close\t2018-08-01-13-15-07\n";

    private ConnLogSamples() {
    }

    static String tabs(String s) {
        return s.replace('|', '\t');
    }
}
