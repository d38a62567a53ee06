package dev.jepoll.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/** An address and port as people write them: {@code 127.0.0.1:9190}, {@code [::1]:9190}. */
final class HostPort {
    private HostPort() {}

    /** An IPv6 address in brackets, so that the port stays readable, and in its short form. */
    static String of(InetAddress address, int port) {
        return (address instanceof Inet6Address v6 ? "[" + shortForm(v6) + "]" : address.getHostAddress()) + ":" + port;
    }

    /**
     * RFC 5952's text: the JDK already writes groups in lower case without leading zeros
     * ({@code 0:0:0:0:0:0:0:1}); the longest run of two or more zero groups (the first, if
     * two are as long) becomes {@code ::}. A scope ({@code %eth0}) is kept as it is.
     */
    static String shortForm(Inet6Address address) {
        String text = address.getHostAddress();
        int percent = text.indexOf('%');
        String scope = percent < 0 ? "" : text.substring(percent);
        String[] groups = (percent < 0 ? text : text.substring(0, percent)).split(":");
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int end = i;
            while (end < groups.length && groups[end].equals("0")) {
                end++;
            }
            if (end - i > runLength) {
                runStart = i;
                runLength = end - i;
            }
            i = end;
        }
        if (runStart < 0) {
            return String.join(":", groups) + scope;
        }
        return String.join(":", Arrays.copyOfRange(groups, 0, runStart)) + "::"
                + String.join(":", Arrays.copyOfRange(groups, runStart + runLength, groups.length)) + scope;
    }
}
