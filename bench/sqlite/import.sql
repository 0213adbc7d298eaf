-- Reference import: SQLite's own engine loads a backup document with its JSON functions, in one transaction,
-- replacing the users, groups, group/user permissions and OpenAI models of the target.
--   sqlite3 -batch -bail -cmd ".parameter set @in 'BACKUP.json'" DB < bench/sqlite/import.sql
-- Like django-user-backup: the same pragmas as its SQLite connection (foreign keys on, Django's constraints being
-- DEFERRABLE INITIALLY DEFERRED and so checked at COMMIT; a 64 MiB page cache), one immediate transaction, ids
-- kept, groups and permissions resolved by name / natural key.
-- The document is parsed once: jsonb() turns the text into SQLite's binary JSON (3.45+), which every later
-- jsonb_each / json_extract walks without parsing text again.
-- Unlike it: no validation of the document (a bad document fails on a constraint or loads wrong
-- values), no missing content types created, no plan/summary, no second pass over the file.
.bail on
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -65536;
BEGIN IMMEDIATE;
CREATE TEMP TABLE doc AS SELECT jsonb(CAST(readfile(@in) AS TEXT)) AS j;

DELETE FROM chat_openaimodel_users;
DELETE FROM auth_user_groups;
DELETE FROM auth_user_user_permissions;
DELETE FROM auth_group_permissions;
DELETE FROM chat_openaimodel;
DELETE FROM auth_user;
DELETE FROM auth_group;

-- Permissions the target does not have yet (content types must exist).
INSERT INTO auth_permission (name, content_type_id, codename)
SELECT json_extract(p.value, '$.name'), ct.id, json_extract(p.value, '$.codename')
FROM jsonb_each((SELECT j FROM doc), '$.permissions') p
JOIN django_content_type ct
  ON ct.app_label = json_extract(p.value, '$.app_label') AND ct.model = json_extract(p.value, '$.model')
WHERE NOT EXISTS (SELECT 1 FROM auth_permission x
                  WHERE x.content_type_id = ct.id AND x.codename = json_extract(p.value, '$.codename'));

CREATE TEMP TABLE perm (app_label TEXT, model TEXT, codename TEXT, id INTEGER,
                        PRIMARY KEY (app_label, model, codename)) WITHOUT ROWID;
INSERT INTO perm SELECT ct.app_label, ct.model, p.codename, p.id
FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id;

INSERT INTO auth_group (id, name)
SELECT json_extract(value, '$.id'), json_extract(value, '$.name')
FROM jsonb_each((SELECT j FROM doc), '$.groups');

INSERT INTO auth_group_permissions (group_id, permission_id)
SELECT json_extract(g.value, '$.id'), perm.id
FROM jsonb_each((SELECT j FROM doc), '$.groups') g, jsonb_each(g.value, '$.permissions') gp
JOIN perm ON perm.app_label = json_extract(gp.value, '$.app_label')
         AND perm.model = json_extract(gp.value, '$.model')
         AND perm.codename = json_extract(gp.value, '$.codename');

CREATE TEMP TABLE u AS
SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.password') AS password,
       json_extract(value, '$.last_login') AS last_login, json_extract(value, '$.is_superuser') AS is_superuser,
       json_extract(value, '$.username') AS username, json_extract(value, '$.last_name') AS last_name,
       json_extract(value, '$.email') AS email, json_extract(value, '$.is_staff') AS is_staff,
       json_extract(value, '$.is_active') AS is_active, json_extract(value, '$.date_joined') AS date_joined,
       json_extract(value, '$.first_name') AS first_name,
       jsonb_extract(value, '$.groups') AS groups, jsonb_extract(value, '$.user_permissions') AS perms
FROM jsonb_each((SELECT j FROM doc), '$.users');
INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email,
                       is_staff, is_active, date_joined, first_name)
SELECT id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name FROM u;
INSERT INTO auth_user_groups (user_id, group_id)
SELECT u.id, g.id FROM u, jsonb_each(u.groups) ug JOIN auth_group g ON g.name = ug.value;
INSERT INTO auth_user_user_permissions (user_id, permission_id)
SELECT u.id, perm.id FROM u, jsonb_each(u.perms) up
JOIN perm ON perm.app_label = json_extract(up.value, '$.app_label')
         AND perm.model = json_extract(up.value, '$.model')
         AND perm.codename = json_extract(up.value, '$.codename');
DROP TABLE u;

INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, created)
SELECT json_extract(value, '$.id'), json_extract(value, '$.name'), json_extract(value, '$.description'),
       json_extract(value, '$.max_tokens'), json_extract(value, '$.temperature'),
       json_extract(value, '$.is_enabled'), json_extract(value, '$.created')
FROM jsonb_each((SELECT j FROM doc), '$.openai_models');

INSERT INTO chat_openaimodel_users (openaimodel_id, user_id)
WITH m AS MATERIALIZED (
  SELECT json_extract(value, '$.id') AS id, jsonb_extract(value, '$.assigned_users') AS assigned
  FROM jsonb_each((SELECT j FROM doc), '$.openai_models'))
SELECT m.id, a.value FROM m, jsonb_each(m.assigned) a;

DROP TABLE doc;
COMMIT;
