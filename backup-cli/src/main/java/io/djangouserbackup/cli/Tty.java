package io.djangouserbackup.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The controlling terminal ({@code /dev/tty}), whatever standard input and output are: a passphrase can be typed
 * there while the backup flows through a pipe ({@code export --encrypt - > f.enc}, {@code cat f.enc | import
 * --yes -}). Prompts are written to the terminal, secrets are read with echo off ({@code stty -echo}, restored
 * afterwards, also when the process is interrupted).
 */
final class Tty implements Context.Terminal {
    private static final File DEVICE = new File("/dev/tty");

    private final InputStream in;
    private final OutputStream out;
    private volatile boolean echoOff;

    private Tty(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (echoOff) {
                // Interrupted while a secret was typed: give the person their echo back.
                stty("echo");
                write("\n");
            }
        }, "django-user-backup-tty"));
    }

    /** The controlling terminal, or {@code null} when the process has none (cron, CI, {@code setsid}). */
    static Tty open() {
        try {
            FileInputStream in = new FileInputStream(DEVICE);
            try {
                return new Tty(in, new FileOutputStream(DEVICE));
            } catch (IOException e) {
                in.close();
                return null;
            }
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public char[] readSecret(String prompt) {
        // Echo off before the prompt shows: whatever is typed after seeing it stays hidden.
        if (!stty("-echo")) {
            throw CliFailure.usage("cannot turn off echo on the terminal to read the passphrase; give"
                    + " --passphrase-file FILE or --passphrase-env NAME instead");
        }
        echoOff = true;
        write(prompt);
        byte[] line = null;
        try {
            line = readBytes();
            if (line == null) {
                return null;
            }
            return decode(line);
        } finally {
            stty("echo");
            echoOff = false;
            write("\n");
            if (line != null) {
                Arrays.fill(line, (byte) 0);
            }
        }
    }

    @Override
    public String readLine(String prompt) {
        write(prompt);
        byte[] line = readBytes();
        return line == null ? null : new String(line, StandardCharsets.UTF_8);
    }

    /** One line without its ending, or {@code null} at the end of input (Ctrl-D on an empty line). */
    private byte[] readBytes() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the terminal: " + e.getMessage(), e);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        byte[] result = Arrays.copyOf(bytes, end);
        Arrays.fill(bytes, (byte) 0);
        return result;
    }

    private static char[] decode(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            return result;
        } catch (CharacterCodingException e) {
            throw CliFailure.usage("the passphrase typed is not UTF-8 text (check the terminal's encoding)");
        }
    }

    private synchronized void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // A terminal that went away cannot be told anything.
        }
    }

    /** Runs {@code stty ARG} on the terminal; whether it worked. */
    private static boolean stty(String arg) {
        try {
            Process stty = new ProcessBuilder("stty", arg).redirectInput(DEVICE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return stty.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
