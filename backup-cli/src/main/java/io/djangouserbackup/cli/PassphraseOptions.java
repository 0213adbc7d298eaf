package io.djangouserbackup.cli;

import io.djangouserbackup.core.IoReasons;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import io.djangouserbackup.core.Encryption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * Where the passphrase of an encrypted backup comes from: {@code --passphrase-file}, else the environment variable
 * {@code --passphrase-env} names, else {@value #DEFAULT_VARIABLE}, else a prompt on the terminal. Never from a
 * command-line value, which other users can see in {@code ps}.
 */
@Parameters(separators = "=")
final class PassphraseOptions {
    static final String DEFAULT_VARIABLE = "DJANGO_USER_BACKUP_PASSPHRASE";
    /** The shortest passphrase export accepts for a new backup unless told otherwise. */
    static final int MIN_LENGTH = 12;

    @Parameter(names = "--passphrase-file", description = "A file whose first line is the passphrase of the encrypted"
            + " backup (else --passphrase-env, else " + DEFAULT_VARIABLE + ", else asked on the terminal).", order = 31)
    String file;

    @Parameter(names = "--passphrase-env", description = "The environment variable that holds the passphrase"
            + " (default " + DEFAULT_VARIABLE + ").", order = 32)
    String variable;

    /** Whether the command line names a passphrase source. */
    boolean given() {
        return file != null || variable != null;
    }

    /**
     * The passphrase as an {@link Encryption}; the characters read are cleared.
     *
     * @param what    what it is for, in the prompt and in messages: {@code the backup}, a file name
     * @param canAsk  whether a person at a terminal may be asked
     * @param confirm whether to ask twice (a new passphrase: a typo would lose the backup)
     */
    Encryption encryption(Context context, String what, boolean canAsk, boolean confirm) {
        return encryption(context, what, canAsk, confirm, 1);
    }

    /**
     * As {@link #encryption(Context, String, boolean, boolean)}, refusing a passphrase shorter than
     * {@code minLength} characters (a new one: an existing backup opens with whatever it was made with).
     */
    Encryption encryption(Context context, String what, boolean canAsk, boolean confirm, int minLength) {
        char[] passphrase = read(context, what, canAsk, confirm);
        try {
            if (passphrase.length == 0) {
                throw CliFailure.usage("the passphrase for " + what + " is empty");
            }
            if (passphrase.length < minLength) {
                throw CliFailure.usage("the passphrase for " + what + " is shorter than " + minLength + " characters:"
                        + " anyone who has the file can try passphrases offline, as fast as their machines allow; choose a"
                        + " longer one (a few unrelated words), or pass --allow-short-passphrase for throwaway test data;"
                        + " nothing was written");
            }
            return Encryption.withPassphrase(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private char[] read(Context context, String what, boolean canAsk, boolean confirm) {
        if (file != null && variable != null) {
            throw CliFailure.usage("give --passphrase-file or --passphrase-env, not both");
        }
        if (file != null) {
            return firstLine(context, file);
        }
        if (variable != null) {
            String value = context.env().variable(variable);
            if (value == null || value.isEmpty()) {
                throw CliFailure.usage("--passphrase-env " + variable + ": the environment variable is not set or empty");
            }
            return value.toCharArray();
        }
        String fromDefault = context.env().variable(DEFAULT_VARIABLE);
        if (fromDefault != null && !fromDefault.isEmpty()) {
            return fromDefault.toCharArray();
        }
        if (!canAsk) {
            throw CliFailure.usage(what + " needs a passphrase, and there is no terminal to ask for it: give"
                    + " --passphrase-file FILE or --passphrase-env NAME, or set " + DEFAULT_VARIABLE);
        }
        char[] first = context.askSecret("Passphrase for " + what + ": ");
        if (!confirm) {
            return first;
        }
        char[] second = context.askSecret("The same passphrase again: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw CliFailure.usage("the two passphrases differ; nothing was written");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }

    /** The file's first line without its line ending, decoded as UTF-8 without a String that would linger. */
    private static char[] firstLine(Context context, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(context.env().resolve(name));
        } catch (IOException e) {
            throw CliFailure.usage("cannot read --passphrase-file " + name + ": " + IoReasons.why(e));
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw CliFailure.usage("--passphrase-file " + name + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        int end = 0;
        while (end < chars.limit() && chars.get(end) != '\n') {
            end++;
        }
        if (end > 0 && chars.get(end - 1) == '\r') {
            end--;
        }
        char[] line = new char[end];
        chars.get(line, 0, end);
        Arrays.fill(chars.array(), '\0');
        return line;
    }
}
