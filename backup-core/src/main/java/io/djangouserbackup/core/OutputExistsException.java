package io.djangouserbackup.core;

import java.nio.file.Path;

/** The backup file to write exists already and overwriting was not allowed; nothing was written. */
public class OutputExistsException extends BackupException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(Path file) {
        super(file + " already exists; choose another name or allow overwriting", null);
    }
}
