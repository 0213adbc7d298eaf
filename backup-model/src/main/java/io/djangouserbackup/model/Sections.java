package io.djangouserbackup.model;

/** The names of the built-in sections of a backup document, in the order they are written and read. */
public final class Sections {
    /** Every permission with its content type, by natural key. */
    public static final String PERMISSIONS = "permissions";
    /** Every group with its permissions. */
    public static final String GROUPS = "groups";
    /** Every user with every column of the user table, its groups and direct permissions. */
    public static final String USERS = "users";
    /** Every row of the OpenAI model table with the users assigned to it. */
    public static final String OPENAI_MODELS = "openai_models";

    private Sections() {
    }
}
