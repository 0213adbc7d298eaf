package io.djangouserbackup.core;

import java.util.Map;

/** {@link ConcurrentWriters14Test} on MariaDB. */
class MariaDbConcurrentWriters14Test extends ConcurrentWriters14Test {
    private ServerDatabase db;

    private ServerDatabase server() {
        if (db == null) {
            MariaDbServer.SERVER.require();
            db = MariaDbServer.SERVER.create("default");
        }
        return db;
    }

    @Override
    DjangoDatabase database() {
        return server().django();
    }

    @Override
    Map<String, String> djangoEnv() {
        return Map.of("DJANGO_DB_URL", server().djangoUrl());
    }
}
