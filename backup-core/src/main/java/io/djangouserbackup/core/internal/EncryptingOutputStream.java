package io.djangouserbackup.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Writes an encrypted backup: the header, then the plaintext in segments of the header's segment size, each sealed
 * with AES-256-GCM under its own nonce (nonce prefix, segment number, last-segment flag) with the header as
 * associated data. Memory is one segment, whatever the size of the backup. {@link #finish()} seals the last
 * segment; without it the file is incomplete, and a reader says so.
 */
public final class EncryptingOutputStream extends OutputStream {
    static final int TAG_LENGTH = 16;
    static final long MAX_SEGMENTS = 0xFFFF_FFFFL;

    private final OutputStream out;
    private final EncryptionHeader header;
    private final byte[] associatedData;
    private final EncryptionKeys keys;
    private final Cipher cipher;
    private final byte[] plain;
    private final byte[] sealed;
    private int buffered;
    private long segment;
    private boolean finished;

    /** Writes the header at once; the keys must be the ones the header's key check was made with. */
    public EncryptingOutputStream(OutputStream out, EncryptionHeader header, EncryptionKeys keys) throws IOException {
        this.out = out;
        this.header = header;
        this.associatedData = header.bytes();
        this.keys = keys;
        this.cipher = aesGcm();
        this.plain = new byte[header.segmentSize()];
        this.sealed = new byte[header.segmentSize() + TAG_LENGTH];
        out.write(associatedData);
    }

    static Cipher aesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has AES/GCM/NoPadding", e);
        }
    }

    /** The 12-byte nonce of a segment: the 7-byte prefix, the segment number (4 bytes, big-endian), the last flag. */
    static GCMParameterSpec nonce(byte[] prefix, long segment, boolean last) {
        ByteBuffer nonce = ByteBuffer.allocate(12);
        nonce.put(prefix).putInt((int) segment).put((byte) (last ? 1 : 0));
        return new GCMParameterSpec(TAG_LENGTH * 8, nonce.array());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the encrypted backup is finished");
        }
        while (len > 0) {
            // A full segment is sealed only when more follows: the last one is sealed by finish, with its flag.
            if (buffered == plain.length) {
                seal(false);
            }
            int n = Math.min(len, plain.length - buffered);
            System.arraycopy(b, off, plain, buffered, n);
            buffered += n;
            off += n;
            len -= n;
        }
    }

    /** Seals the last segment and flushes; the underlying stream stays open. */
    public void finish() throws IOException {
        if (!finished) {
            seal(true);
            finished = true;
        }
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        // Nothing to flush before a segment is full: a segment is written whole or not at all.
        out.flush();
    }

    /** Finishes; the underlying stream stays open (the caller owns it). */
    @Override
    public void close() throws IOException {
        finish();
    }

    private void seal(boolean last) throws IOException {
        if (segment > MAX_SEGMENTS) {
            throw new IOException("a backup this large does not fit in 2^32 encrypted segments");
        }
        int length;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, keys.segmentKey(), nonce(header.noncePrefix(), segment, last));
            cipher.updateAAD(associatedData);
            length = cipher.doFinal(plain, 0, buffered, sealed, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a segment with AES-256-GCM failed", e);
        } finally {
            java.util.Arrays.fill(plain, 0, buffered, (byte) 0);
        }
        out.write(sealed, 0, length);
        buffered = 0;
        segment++;
    }
}
