-- Reference import on PostgreSQL: psql copies the document (the reference's own export, one line) into the server
-- with COPY, the server parses it once (jsonb) and loads it with its JSON functions, in one transaction,
-- replacing the users, groups, group/user permissions and OpenAI models.
--   psql -X -q -f bench/postgresql/import.sql postgres://... < IN.json
-- Like django-user-backup: ids kept, groups and permissions resolved by name / natural key, sequences moved past
-- the ids, Django's DEFERRABLE INITIALLY DEFERRED foreign keys checked at COMMIT. Unlike it: no validation of
-- the document, no content types created, no plan/summary, one pass.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE doc_text (t text);
-- CSV with a quote and a delimiter that JSON text never holds: the line is taken as it is.
\copy doc_text FROM pstdin WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE TEMP TABLE doc AS SELECT t::jsonb AS j FROM doc_text;
DROP TABLE doc_text;

DELETE FROM chat_openaimodel_users;
DELETE FROM auth_user_groups;
DELETE FROM auth_user_user_permissions;
DELETE FROM auth_group_permissions;
DELETE FROM chat_openaimodel;
DELETE FROM auth_user;
DELETE FROM auth_group;

CREATE TEMP TABLE perm AS
SELECT ct.app_label, ct.model, p.codename, p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id;
CREATE UNIQUE INDEX ON perm (app_label, model, codename);

INSERT INTO auth_group (id, name)
SELECT (e->>'id')::int, e->>'name' FROM doc, jsonb_array_elements(j->'groups') e;
INSERT INTO auth_group_permissions (group_id, permission_id)
SELECT (e->>'id')::int, perm.id FROM doc, jsonb_array_elements(j->'groups') e, jsonb_array_elements(e->'permissions') gp
JOIN perm ON perm.app_label = gp->>'app_label' AND perm.model = gp->>'model' AND perm.codename = gp->>'codename';

CREATE TEMP TABLE u AS SELECT e FROM doc, jsonb_array_elements(j->'users') e;
INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active,
                       date_joined, first_name)
SELECT (e->>'id')::int, e->>'password', (e->>'last_login')::timestamptz, (e->>'is_superuser')::boolean,
       e->>'username', e->>'last_name', e->>'email', (e->>'is_staff')::boolean, (e->>'is_active')::boolean,
       (e->>'date_joined')::timestamptz, e->>'first_name'
FROM u;
INSERT INTO auth_user_groups (user_id, group_id)
SELECT (e->>'id')::int, g.id FROM u, jsonb_array_elements_text(e->'groups') gn JOIN auth_group g ON g.name = gn;
INSERT INTO auth_user_user_permissions (user_id, permission_id)
SELECT (e->>'id')::int, perm.id FROM u, jsonb_array_elements(e->'user_permissions') up
JOIN perm ON perm.app_label = up->>'app_label' AND perm.model = up->>'model' AND perm.codename = up->>'codename';

INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, created)
SELECT (e->>'id')::int, e->>'name', e->>'description', (e->>'max_tokens')::int, (e->>'temperature')::numeric,
       (e->>'is_enabled')::boolean, (e->>'created')::timestamptz
FROM doc, jsonb_array_elements(j->'openai_models') e;
INSERT INTO chat_openaimodel_users (openaimodel_id, user_id)
SELECT (e->>'id')::int, a::int FROM doc, jsonb_array_elements(j->'openai_models') e, jsonb_array_elements_text(e->'assigned_users') a;

SELECT setval(pg_get_serial_sequence(t, 'id'), COALESCE(max_id, 0) + 1, false)
FROM (VALUES ('auth_group', (SELECT max(id) FROM auth_group)), ('auth_user', (SELECT max(id) FROM auth_user)),
             ('chat_openaimodel', (SELECT max(id) FROM chat_openaimodel))) AS s(t, max_id) \g /dev/null
COMMIT;
