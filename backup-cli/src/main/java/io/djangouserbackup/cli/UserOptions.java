package io.djangouserbackup.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code --user USERNAME} (repeatable) and {@code --users-from FILE}: the users an import or export is limited to. */
@Parameters(separators = "=")
final class UserOptions {

    @Parameter(names = "--user", description = "Only this user (repeatable): their row, memberships, direct permissions,"
            + " OpenAI model assignments and rows of included tables that belong to them.", order = 40)
    List<String> users = new ArrayList<>();

    @Parameter(names = "--users-from", description = "Only the users named in FILE, one username a line (blank lines and"
            + " lines starting with # are skipped).", order = 41)
    String usersFrom;

    /** The usernames given, in order, each once; empty when no option limits the run. */
    List<String> usernames(Env env) {
        Set<String> usernames = new LinkedHashSet<>();
        for (String user : users) {
            if (user.isBlank()) {
                throw CliFailure.usage("--user needs a username");
            }
            usernames.add(user);
        }
        if (usersFrom != null) {
            Path file = env.resolve(usersFrom);
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliFailure.usage("--users-from: cannot read " + usersFrom + ": " + e.getMessage());
            }
            int before = usernames.size();
            for (String line : lines) {
                String username = line.strip();
                if (!username.isEmpty() && !username.startsWith("#")) {
                    usernames.add(username);
                }
            }
            if (usernames.size() == before && users.isEmpty()) {
                throw CliFailure.usage("--users-from: " + usersFrom + " names no user");
            }
        }
        return List.copyOf(usernames);
    }
}
