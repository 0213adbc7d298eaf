package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.InvalidBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;

/**
 * Reads an encrypted backup's segments after its header and hands on only plaintext that authenticated: a
 * segment is opened whole, so no byte of a damaged segment ever reaches the JSON parser. Memory is one segment.
 * A file cut at a segment boundary is refused because its new last segment was not sealed as the last; swapped
 * or repeated segments because each one's nonce carries its number; header edits because the header is every
 * segment's associated data.
 */
public final class DecryptingInputStream extends InputStream {
    private static final int TAG_LENGTH = EncryptingOutputStream.TAG_LENGTH;

    private final InputStream in;
    private final EncryptionHeader header;
    private final byte[] associatedData;
    private final byte[] noncePrefix;
    private final EncryptionKeys keys;
    private final Cipher cipher;
    private final byte[] sealed;
    private final byte[] plain;
    private int position;
    private int limit;
    private int lookahead = -1;
    private long segment;
    private boolean done;

    /**
     * @param in     the stream just after the header
     * @param header the header, already read and checked
     * @param keys   keys that fit the header ({@link EncryptionKeys#fit})
     */
    public DecryptingInputStream(InputStream in, EncryptionHeader header, EncryptionKeys keys) {
        this.in = in;
        this.header = header;
        this.associatedData = header.bytes();
        this.noncePrefix = header.noncePrefix();
        this.keys = keys;
        this.cipher = EncryptingOutputStream.aesGcm();
        this.sealed = new byte[header.segmentSize() + TAG_LENGTH];
        this.plain = new byte[header.segmentSize() + TAG_LENGTH];
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return plain[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(plain, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Opens segments until there is plaintext to hand on; false at the end of the last segment. */
    private boolean fill() throws IOException {
        while (position == limit) {
            if (done) {
                return false;
            }
            openNextSegment();
        }
        return true;
    }

    private void openNextSegment() throws IOException {
        int length = 0;
        if (lookahead >= 0) {
            sealed[length++] = (byte) lookahead;
            lookahead = -1;
        }
        length += in.readNBytes(sealed, length, sealed.length - length);
        // A full segment is the last one only if nothing follows it.
        boolean last = length < sealed.length || (lookahead = in.read()) < 0;
        long offset = EncryptionHeader.LENGTH + segment * sealed.length;
        String place = "encrypted segment " + segment + " at byte " + offset;
        if (length < TAG_LENGTH) {
            throw new InvalidBackupException(place, segment == 0 && length == 0
                    ? "missing: the file ends right after its encryption header (truncated)"
                    : "the file ends " + length + " bytes into it (truncated)");
        }
        if (segment > EncryptingOutputStream.MAX_SEGMENTS) {
            throw new InvalidBackupException(place, "more segments than an encrypted backup can have");
        }
        try {
            limit = open(length, last);
        } catch (AEADBadTagException e) {
            if (last && opens(length)) {
                throw new InvalidBackupException(place, "the file ends after it, but it was not sealed as the last"
                        + " segment: the file is truncated");
            }
            throw new InvalidBackupException(place, "does not authenticate: the file was " + (last
                    ? "truncated, damaged or changed" : "damaged or changed") + " after it was written");
        }
        position = 0;
        segment++;
        done = last;
    }

    private int open(int length, boolean last) throws AEADBadTagException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, keys.segmentKey(), EncryptingOutputStream.nonce(noncePrefix, segment, last));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, 0, length, plain, 0);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening a segment with AES-256-GCM failed", e);
        }
    }

    /** Whether the segment opens as one that is not the last: then the file was cut right after it. */
    private boolean opens(int length) {
        try {
            open(length, false);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } finally {
            limit = 0;
        }
    }

    /** The header this stream was opened with. */
    public EncryptionHeader header() {
        return header;
    }
}
