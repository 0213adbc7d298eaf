-- Reference import on MariaDB: LOAD DATA sends the reference's own export (JSON lines, see export.sql) to the
-- server, which loads it with its JSON functions (JSON_VALUE, JSON_TABLE), in one transaction, replacing the
-- users, groups, group/user permissions and OpenAI models.
--   mysql --default-character-set=utf8mb4 --local-infile=1 -h HOST -u USER NAME \
--         -e "SOURCE bench/mariadb/import.sql" < IN.jsonl
-- Like django-user-backup: ids kept, groups and permissions resolved by name / natural key. Unlike it: no
-- validation of the document, no content types created, no plan/summary, one pass.
START TRANSACTION;
CREATE TEMPORARY TABLE doc (n INT AUTO_INCREMENT PRIMARY KEY, j LONGTEXT NOT NULL);
-- The file is the client's standard input (the statements come from SOURCE).
LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE doc CHARACTER SET utf8mb4
  FIELDS TERMINATED BY 0x02 ESCAPED BY '' LINES TERMINATED BY '\n' (j);

SET FOREIGN_KEY_CHECKS = 0;
DELETE FROM chat_openaimodel_users;
DELETE FROM auth_user_groups;
DELETE FROM auth_user_user_permissions;
DELETE FROM auth_group_permissions;
DELETE FROM chat_openaimodel;
DELETE FROM auth_user;
DELETE FROM auth_group;
SET FOREIGN_KEY_CHECKS = 1;

CREATE TEMPORARY TABLE perm (app_label VARCHAR(100), model VARCHAR(100), codename VARCHAR(100), id INT,
                             PRIMARY KEY (app_label, model, codename))
SELECT ct.app_label, ct.model, p.codename, p.id FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id;

INSERT INTO auth_group (id, name)
SELECT g.id, g.name FROM doc, JSON_TABLE(doc.j, '$.groups[*]' COLUMNS (id INT PATH '$.id', name VARCHAR(150) PATH '$.name')) g
WHERE doc.n = 1;
INSERT INTO auth_group_permissions (group_id, permission_id)
SELECT g.id, perm.id FROM doc, JSON_TABLE(doc.j, '$.groups[*]' COLUMNS (id INT PATH '$.id',
    NESTED PATH '$.permissions[*]' COLUMNS (app_label VARCHAR(100) PATH '$.app_label', model VARCHAR(100) PATH '$.model',
                                            codename VARCHAR(100) PATH '$.codename'))) g
JOIN perm ON perm.app_label = g.app_label AND perm.model = g.model AND perm.codename = g.codename
WHERE doc.n = 1;

INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active,
                       date_joined, first_name)
SELECT JSON_VALUE(j, '$.id'), JSON_VALUE(j, '$.password'), JSON_VALUE(j, '$.last_login'),
       JSON_VALUE(j, '$.is_superuser') = 1, JSON_VALUE(j, '$.username'), JSON_VALUE(j, '$.last_name'),
       JSON_VALUE(j, '$.email'), JSON_VALUE(j, '$.is_staff') = 1, JSON_VALUE(j, '$.is_active') = 1,
       JSON_VALUE(j, '$.date_joined'), JSON_VALUE(j, '$.first_name')
FROM doc WHERE n > 1;
INSERT INTO auth_user_groups (user_id, group_id)
SELECT JSON_VALUE(doc.j, '$.id'), g.id
FROM doc, JSON_TABLE(doc.j, '$.groups[*]' COLUMNS (name VARCHAR(150) PATH '$')) ug JOIN auth_group g ON g.name = ug.name
WHERE doc.n > 1;
INSERT INTO auth_user_user_permissions (user_id, permission_id)
SELECT JSON_VALUE(doc.j, '$.id'), perm.id
FROM doc, JSON_TABLE(doc.j, '$.user_permissions[*]' COLUMNS (app_label VARCHAR(100) PATH '$.app_label',
    model VARCHAR(100) PATH '$.model', codename VARCHAR(100) PATH '$.codename')) up
JOIN perm ON perm.app_label = up.app_label AND perm.model = up.model AND perm.codename = up.codename
WHERE doc.n > 1;

INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, created)
SELECT m.id, m.name, m.description, m.max_tokens, m.temperature, m.is_enabled = 'true', m.created
FROM doc, JSON_TABLE(doc.j, '$.openai_models[*]' COLUMNS (id INT PATH '$.id', name VARCHAR(100) PATH '$.name',
    description LONGTEXT PATH '$.description', max_tokens INT PATH '$.max_tokens',
    temperature DECIMAL(30, 10) PATH '$.temperature', is_enabled VARCHAR(5) PATH '$.is_enabled',
    created DATETIME(6) PATH '$.created')) m
WHERE doc.n = 1;
INSERT INTO chat_openaimodel_users (openaimodel_id, user_id)
SELECT m.id, m.user_id FROM doc, JSON_TABLE(doc.j, '$.openai_models[*]' COLUMNS (id INT PATH '$.id',
    NESTED PATH '$.assigned_users[*]' COLUMNS (user_id INT PATH '$'))) m
WHERE doc.n = 1 AND m.user_id IS NOT NULL;
COMMIT;
