package dev.jepoll.testsupport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Seeded test payloads and their digests. */
public final class Payloads {
    private Payloads() {
    }

    /** {@code length} bytes from {@code seed}; from 256 bytes on, every byte value occurs. */
    public static byte[] of(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < Math.min(256, length); i++) {
            bytes[(int) ((i * 7919L + seed) % length + length) % length] = (byte) i;
        }
        return bytes;
    }

    public static String sha256(byte[] bytes) {
        return sha256(bytes, 0, bytes.length);
    }

    public static String sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
