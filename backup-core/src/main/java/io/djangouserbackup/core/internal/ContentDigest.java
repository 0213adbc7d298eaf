package io.djangouserbackup.core.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes the bytes of a stream up to an offset that is known only later. A JSON parser reads ahead, so when it
 * reports that a value ended at byte {@code n}, bytes past {@code n} have already been read; this stream keeps
 * the bytes it has handed on but not yet hashed, and {@link #hashUpTo(long)} hashes them once the caller knows
 * they belong to the content. Memory stays bounded by the parser's read-ahead plus the distance between calls.
 */
public final class ContentDigest extends FilterInputStream {
    private final MessageDigest sha256 = newSha256();
    private byte[] pending = new byte[16 * 1024];
    private int start;
    private int end;
    private long hashed;

    private boolean ended;

    /** Whether the underlying stream has said it has no more bytes. */
    public boolean ended() {
        return ended;
    }

    /** How many bytes were handed on to the reader so far. */
    public long bytesHandedOn() {
        return hashed + (end - start);
    }

    /** Hashes on the reading thread. */
    public ContentDigest(InputStream in) {
        this(in, false);
    }

    /**
     * Hashes on a thread of its own when {@code onAnotherThread} and the machine has a second processor
     * ({@link HashingThread}): the same digest, with the reading thread only copying the bytes. That thread ends
     * with {@link #digestUpTo} or {@link #close}.
     */
    public ContentDigest(InputStream in, boolean onAnotherThread) {
        super(in);
        this.aside = onAnotherThread && Runtime.getRuntime().availableProcessors() > 1 ? new HashingThread() : null;
    }

    private final HashingThread aside;

    /** A fresh SHA-256. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * {@code digest.update(bytes, offset, length)}, in pieces of at most 1 KiB. The JVM replaces SHA-256's
     * block loop with the processor's SHA instructions only in code it has compiled fully, which happens once
     * the calling method has run some thousands of times; fed 8 KiB at a time, a 50 MB backup is hashed in plain
     * Java nearly to its end (a fifth of an export's samples). In small pieces the compiled path arrives after a
     * few megabytes, and the extra calls cost nothing once it has.
     */
    public static void update(MessageDigest digest, byte[] bytes, int offset, int length) {
        while (length > PIECE) {
            digest.update(bytes, offset, PIECE);
            offset += PIECE;
            length -= PIECE;
        }
        digest.update(bytes, offset, length);
    }

    private static final int PIECE = 1024;

    /** An output stream that hashes what passes through it with {@link #update}. */
    public static OutputStream hashing(OutputStream out, MessageDigest digest) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                update(digest, b, off, len);
            }
        };
    }

    /**
     * A text that may be a secret (an API token that is its own table's key), as a report may show it:
     * {@code sha256:} and the first 12 hexadecimal digits of its UTF-8 digest, enough to tell rows apart.
     */
    public static String shortened(String text) {
        return "sha256:" + hex(newSha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 12);
    }

    /** Lower-case hexadecimal, as backups carry it. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Says that every byte before {@code offset} is content. The bytes are hashed in slices of at least
     * {@value #SLICE} bytes, so up to that many bytes wait here. Not much larger: the JVM compiles the digest's
     * block loop to its SHA instructions only once that loop has been called often, and 64 KiB slices left it
     * interpreted for a whole 100,000-user pass (20% of a check's samples, against 9% with 4 KiB).
     */
    public void hashUpTo(long offset) {
        if (offset - hashed >= SLICE) {
            hashThrough(offset);
        }
    }

    private static final int SLICE = 4 * 1024;

    private void hashThrough(long offset) {
        long wanted = offset - hashed;
        if (wanted <= 0) {
            return;
        }
        if (wanted > end - start) {
            throw new IllegalStateException("offset " + offset + " is past what was read");
        }
        if (aside != null) {
            aside.update(pending, start, (int) wanted);
        } else {
            update(sha256, pending, start, (int) wanted);
        }
        start += (int) wanted;
        hashed = offset;
    }

    /** The SHA-256 of the first {@code offset} bytes, in hexadecimal; ends the hashing. */
    public String digestUpTo(long offset) {
        hashThrough(offset);
        if (hashed != offset) {
            throw new IllegalStateException("bytes before " + offset + " were hashed past it");
        }
        return hex(aside != null ? aside.digest() : sha256.digest());
    }

    @Override
    public void close() throws IOException {
        try {
            if (aside != null) {
                aside.close();
            }
        } finally {
            super.close();
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            keep(new byte[] {(byte) b}, 0, 1);
        } else {
            ended = true;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            keep(b, off, n);
        } else if (n < 0) {
            ended = true;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, so they are read.
        byte[] discard = new byte[(int) Math.min(n, 8192)];
        int read = read(discard, 0, discard.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void keep(byte[] b, int off, int len) {
        if (end + len > pending.length) {
            int unhashed = end - start;
            if (unhashed + len > pending.length) {
                byte[] larger = new byte[Math.max(pending.length * 2, unhashed + len)];
                System.arraycopy(pending, start, larger, 0, unhashed);
                pending = larger;
            } else {
                System.arraycopy(pending, start, pending, 0, unhashed);
            }
            start = 0;
            end = unhashed;
        }
        System.arraycopy(b, off, pending, end, len);
        end += len;
    }

    @Override
    public String toString() {
        return "ContentDigest[hashed=" + hashed + ", pending=" + (end - start) + "]";
    }
}
