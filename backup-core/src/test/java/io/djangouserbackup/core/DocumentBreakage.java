package io.djangouserbackup.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Ways to break a valid backup so that every importer must refuse it, whatever the data. Edits of the JSON tree
 * carry a correct digest, so they test the rule they break; edits of the text ("truncated", "tampered") test
 * the digest.
 */
record DocumentBreakage(String name, UnaryOperator<String> breaker) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    String apply(String document) {
        return breaker.apply(document);
    }

    @Override
    public String toString() {
        return name;
    }

    static Arbitrary<DocumentBreakage> all() {
        return Arbitraries.of(
                new DocumentBreakage("format from the future", tree(doc -> doc.put("format_version", 99))),
                new DocumentBreakage("format_version as text", tree(doc -> doc.put("format_version", "1"))),
                new DocumentBreakage("truncated", text -> text.substring(0, text.length() / 2)),
                new DocumentBreakage("not an object", text -> "[" + text + "]"),
                new DocumentBreakage("tampered: a flag flipped, digest kept", text -> text.replaceFirst("\"is_active\":true",
                        "\"is_active\":false").replaceFirst("\"format_version\": 2", "\"format_version\": 2 ")),
                new DocumentBreakage("digest removed", text -> text.replaceFirst(",\\s*\"sha256\"\\s*:\\s*\"[0-9a-f]+\"", "")),
                new DocumentBreakage("cut after the last section", text -> text.substring(0, text.lastIndexOf(']') + 1) + "}"),
                new DocumentBreakage("users missing", tree(doc -> doc.remove("users"))),
                new DocumentBreakage("unknown section", tree(doc -> doc.putArray("profiles").addObject().put("id", 1))),
                new DocumentBreakage("duplicate user id", tree(doc -> {
                    users(doc).add(user(9_000_001, "dup-a"));
                    users(doc).add(user(9_000_001, "dup-b"));
                })),
                new DocumentBreakage("duplicate username", tree(doc -> {
                    users(doc).add(user(9_000_001, "same"));
                    users(doc).add(user(9_000_002, "same"));
                })),
                new DocumentBreakage("username longer than its column", tree(doc -> users(doc).add(user(9_000_001, "ü".repeat(151))))),
                new DocumentBreakage("membership of a group not in the backup", tree(doc -> {
                    ObjectNode user = user(9_000_001, "member");
                    ((ArrayNode) user.get("groups")).add("no such group \u2603");
                    users(doc).add(user);
                })),
                new DocumentBreakage("permission not in the backup", tree(doc -> {
                    ObjectNode user = user(9_000_001, "holder");
                    ((ArrayNode) user.get("user_permissions")).addObject().put("app_label", "auth").put("model", "user")
                            .put("codename", "fly");
                    users(doc).add(user);
                })),
                new DocumentBreakage("flag of the wrong type", tree(doc -> users(doc).add(user(9_000_001, "flag").put("is_active", "yes")))),
                new DocumentBreakage("password missing", tree(doc -> {
                    ObjectNode user = user(9_000_001, "nopass");
                    user.remove("password");
                    users(doc).add(user);
                })),
                new DocumentBreakage("NULL in a NOT NULL column", tree(doc -> users(doc).add(user(9_000_001, "nul").putNull("email")))),
                new DocumentBreakage("malformed timestamp", tree(doc -> users(doc).add(user(9_000_001, "time").put("date_joined", "yesterday")))),
                new DocumentBreakage("column the target lacks", tree(doc -> users(doc).add(user(9_000_001, "extra").put("shoe_size", 44)))),
                new DocumentBreakage("nested value in a column", tree(doc -> {
                    ObjectNode user = user(9_000_001, "nest");
                    user.putObject("email").put("address", "a@b.c");
                    users(doc).add(user);
                })),
                new DocumentBreakage("model assigned to a user not in the backup", tree(doc -> {
                    ObjectNode model = ((ArrayNode) doc.get("openai_models")).addObject();
                    model.put("id", 9_000_001).put("name", "ghost").put("description", "").put("max_tokens", 1)
                            .put("temperature", 0.5).put("is_enabled", true).put("created", "2024-01-01 00:00:00");
                    model.putArray("assigned_users").add(9_999_999);
                })),
                new DocumentBreakage("users before groups", tree(doc -> {
                    ArrayNode users = users(doc).deepCopy();
                    doc.remove("users");
                    ArrayNode groups = (ArrayNode) doc.remove("groups");
                    ArrayNode models = (ArrayNode) doc.remove("openai_models");
                    doc.set("users", users);
                    doc.set("groups", groups);
                    doc.set("openai_models", models);
                })));
    }

    private static ArrayNode users(ObjectNode doc) {
        return (ArrayNode) doc.get("users");
    }

    /** A valid user of Django's auth_user. */
    static ObjectNode user(long id, String username) {
        ObjectNode user = NODES.objectNode();
        user.put("id", id).put("password", "pbkdf2_sha256$1$salt$hash").putNull("last_login").put("is_superuser", false)
                .put("username", username).put("last_name", "").put("email", "").put("is_staff", false)
                .put("is_active", true).put("date_joined", "2020-01-01 00:00:00").put("first_name", "");
        user.putArray("groups");
        user.putArray("user_permissions");
        return user;
    }

    private static UnaryOperator<String> tree(Consumer<ObjectNode> change) {
        return text -> {
            try {
                ObjectNode doc = (ObjectNode) JSON.readTree(text);
                change.accept(doc);
                // Sealed again, so the rule under test is what refuses it, not the digest.
                return BackupDigest.seal(JSON.writeValueAsString(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
