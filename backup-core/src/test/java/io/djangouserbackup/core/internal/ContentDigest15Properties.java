package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 15: a {@link ContentDigest} that hashes on a second thread ({@link HashingThread}, used by verify) gives the
 * digest of exactly the bytes up to the offset asked for, the same as one hashing on the reading thread, however the
 * bytes are read and wherever the hashing is asked up to; and its thread ends whether or not the digest is asked for.
 */
class ContentDigest15Properties {

    /** Reads in pieces of random size, says now and then how far the content goes, and asks the digest at the end. */
    private static String digestOf(byte[] bytes, long seed, int end, boolean onAnotherThread) throws IOException {
        Random random = new Random(seed);
        try (ContentDigest digest = new ContentDigest(new ByteArrayInputStream(bytes), onAnotherThread)) {
            byte[] buffer = new byte[1 + random.nextInt(20_000)];
            long read = 0;
            long hashed = 0;
            while (true) {
                int n = digest.read(buffer, 0, 1 + random.nextInt(buffer.length));
                if (n < 0) {
                    break;
                }
                read += n;
                if (random.nextInt(3) == 0) {
                    // The content ends at `end`: offsets past it are never said to be content.
                    hashed = Math.max(hashed, Math.min(end, hashed + random.nextInt((int) (read - hashed) + 1)));
                    digest.hashUpTo(hashed);
                }
            }
            return digest.digestUpTo(end);
        }
    }

    @Property(tries = 200)
    void theSecondThreadHashesExactlyTheContent(@ForAll @IntRange(max = 1_500_000) int length, @ForAll long seed,
                                                 @ForAll @IntRange(max = 1000) int endPerMille) throws IOException {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        int end = (int) ((long) length * endPerMille / 1000);
        String expected = ContentDigest.hex(ContentDigest.newSha256().digest(Arrays.copyOf(bytes, end)));
        assertThat(digestOf(bytes, seed, end, true)).isEqualTo(expected);
        assertThat(digestOf(bytes, seed, end, false)).isEqualTo(expected);
    }

    @Example
    void aReadAbandonedHalfWayEndsTheHashingThread() throws Exception {
        for (int i = 0; i < 20; i++) {
            InputStream in = new ByteArrayInputStream(new byte[3 * HashingThread.BLOCK_SIZE * HashingThread.BLOCKS]);
            try (ContentDigest digest = new ContentDigest(in, true)) {
                byte[] buffer = new byte[64 * 1024];
                for (int r = 0; r < 10; r++) {
                    digest.read(buffer, 0, buffer.length);
                    digest.hashUpTo((long) (r + 1) * buffer.length);
                }
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hashingThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(hashingThreads()).isZero();
    }

    private static long hashingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("django-user-backup digest")).count();
    }
}
