package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the banner and errors write an address: brackets around IPv6, and RFC 5952's short form. */
class HostPortTest {
    @Test
    void ipv4AsIs() throws Exception {
        assertEquals("127.0.0.1:9190", HostPort.of(InetAddress.getByName("127.0.0.1"), 9190));
    }

    @Test
    void ipv6InBracketsSoThePortStaysReadable() throws Exception {
        assertEquals("[::1]:9190", HostPort.of(InetAddress.getByName("::1"), 9190));
        assertEquals("[::]:80", HostPort.of(InetAddress.getByName("::"), 80));
    }

    @ParameterizedTest
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",      // two runs as long: the first
        "2001:db8:0:0:0:1:0:0, 2001:db8::1:0:0",        // the longer run, wherever it is
        "2001:db8:1:0:0:0:0:1, 2001:db8:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",   // one zero group stays
        "2001:DB8:AAAA:0:0:0:0:0, 2001:db8:aaaa::",
    })
    void theShortForm(String written, String expected) throws Exception {
        assertEquals(expected, HostPort.shortForm((Inet6Address) InetAddress.getByName(written)));
    }

    @Test
    void aScopeIsKept() throws Exception {
        Inet6Address linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertEquals("fe80::1%3", HostPort.shortForm(linkLocal));
    }
}
