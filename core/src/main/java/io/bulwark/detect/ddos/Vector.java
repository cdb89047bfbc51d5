package io.bulwark.detect.ddos;

/**
 * Mirai's ten attack vectors (mirai/bot/attack.h), as incidents name them in detail.vector.
 * UDP_ANY is a working class for UDP whose split into udp/udpplain is decided per window.
 */
enum Vector {
    udp, vse, dns, syn, ack, stomp, greip, greeth, udpplain, http;

    static final int COUNT = values().length;
}
