package io.bulwark.decode.capture;

/** LINKTYPE_ values from the tcpdump.org link-layer header type registry. */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW_BSD = 12;
    public static final int RAW_BSD14 = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    public static boolean supported(int lt) {
        return switch (lt) {
            case NULL, ETHERNET, RAW_BSD, RAW_BSD14, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
            default -> false;
        };
    }
}
