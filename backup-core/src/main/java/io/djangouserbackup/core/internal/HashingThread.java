package io.djangouserbackup.core.internal;

import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes bytes on a thread of its own, in the order they are given, so that the thread reading a document only
 * copies them: on a machine with a second core the digest costs the reader almost nothing. The bytes travel in a
 * few blocks that are reused, so memory stays at {@value #BLOCKS} blocks of {@value #BLOCK_SIZE} bytes however
 * large the document; one smaller than a block is hashed by {@link #digest()} itself, without a thread. The digest
 * is exactly the one {@link ContentDigest#update} computes from the same bytes.
 */
final class HashingThread implements AutoCloseable {
    static final int BLOCK_SIZE = 128 * 1024;
    static final int BLOCKS = 6;

    /** A filled block; {@code length} -1 ends the stream. */
    private record Block(byte[] bytes, int length) {
    }

    private static final Block END = new Block(new byte[0], -1);

    private final MessageDigest sha256 = ContentDigest.newSha256();
    private final BlockingQueue<Block> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BLOCKS);
    // Started with the first full block: a small document is hashed at the end, on the caller's thread.
    private Thread thread;
    private byte[] current;
    private int used;
    private boolean ended;
    // Written by the hashing thread before it ends; read after join(), which makes them visible.
    private byte[] digest;
    private Throwable failure;

    private int allocated;

    /** The next block to fill: a free one, a new one while fewer than {@value #BLOCKS} exist, else the next freed. */
    private byte[] nextBlock() {
        byte[] block = free.poll();
        if (block != null) {
            return block;
        }
        if (allocated < BLOCKS) {
            allocated++;
            return new byte[BLOCK_SIZE];
        }
        return take(free);
    }

    private void start() {
        thread = new Thread(this::hashBlocks, "django-user-backup digest");
        // Never keeps the process alive: a read that fails is abandoned with its hashing.
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands on the bytes to hash after those given before. */
    void update(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (current == null) {
                current = nextBlock();
                used = 0;
            }
            int n = Math.min(length, BLOCK_SIZE - used);
            System.arraycopy(bytes, offset, current, used, n);
            used += n;
            offset += n;
            length -= n;
            if (used == BLOCK_SIZE) {
                if (thread == null) {
                    start();
                }
                put(new Block(current, used));
                current = null;
            }
        }
    }

    /** The SHA-256 of every byte given, once the hashing thread has hashed them all; ends the thread. */
    byte[] digest() {
        if (thread == null) {
            // Less than a block in all: not worth a thread.
            ended = true;
            if (current != null) {
                ContentDigest.update(sha256, current, 0, used);
            }
            return sha256.digest();
        }
        if (current != null && used > 0) {
            put(new Block(current, used));
            current = null;
        }
        end();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("hashing the backup failed", failure);
        }
        return digest;
    }

    /** Ends the hashing thread if it still runs (a read that failed half-way); its digest is then never asked for. */
    @Override
    public void close() {
        end();
    }

    private void end() {
        if (!ended && thread != null) {
            ended = true;
            put(END);
        }
    }

    private void hashBlocks() {
        try {
            for (Block block = take(filled); block.length() >= 0; block = take(filled)) {
                if (failure == null) {
                    try {
                        ContentDigest.update(sha256, block.bytes(), 0, block.length());
                    } catch (RuntimeException | Error e) {
                        // Kept for digest() to report; the blocks still go back, so the reader never waits forever.
                        failure = e;
                    }
                }
                free.add(block.bytes());
            }
            if (failure == null) {
                digest = sha256.digest();
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    /** Waits for an element; an interrupt is kept for the caller, the wait is short (the other side never stops). */
    private static <T> T take(BlockingQueue<T> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(Block block) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    filled.put(block);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
