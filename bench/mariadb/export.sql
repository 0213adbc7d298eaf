-- Reference export on MariaDB: the server builds the backup's JSON with its JSON functions and the mysql client
-- streams it out, one JSON object a line: first the small sections (permissions, groups, OpenAI models), then one
-- line per user, by id. Not one document: MariaDB returns a value of at most max_allowed_packet (16 MiB by
-- default, and only an administrator may raise it), less than 100,000 users' document.
--   mysql --default-character-set=utf8mb4 --batch --raw --skip-column-names --quick -h HOST -u USER NAME \
--         < bench/mariadb/export.sql > OUT.jsonl
-- Same fields and orders as django-user-backup's export, with MariaDB's own text for datetimes; one consistent
-- snapshot, like ours.
SET SESSION group_concat_max_len = 4294967295;
SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;
START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY;
SELECT JSON_OBJECT(
  'format_version', 1,
  'export_date', DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ'),
  'django_version', JSON_OBJECT(
    'at_least', '3.1',
    'migrations', JSON_OBJECT(
      'auth', (SELECT max(name) FROM django_migrations WHERE app = 'auth'),
      'contenttypes', (SELECT max(name) FROM django_migrations WHERE app = 'contenttypes'))),
  'permissions', COALESCE((
    SELECT JSON_ARRAYAGG(JSON_OBJECT('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename, 'name', p.name)
                         ORDER BY ct.app_label, ct.model, p.codename)
    FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id), JSON_ARRAY()),
  'groups', COALESCE((
    SELECT JSON_ARRAYAGG(JSON_OBJECT('id', g.id, 'name', g.name, 'permissions', COALESCE((
      SELECT JSON_ARRAYAGG(JSON_OBJECT('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename)
                           ORDER BY ct.app_label, ct.model, p.codename)
      FROM auth_group_permissions gp
      JOIN auth_permission p ON p.id = gp.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
      WHERE gp.group_id = g.id), JSON_ARRAY())) ORDER BY g.id)
    FROM auth_group g), JSON_ARRAY()),
  'openai_models', COALESCE((
    SELECT JSON_ARRAYAGG(JSON_OBJECT(
      'id', m.id, 'name', m.name, 'description', m.description, 'max_tokens', m.max_tokens,
      'temperature', m.temperature, 'is_enabled', m.is_enabled = 1, 'created', m.created,
      'assigned_users', COALESCE((
        SELECT JSON_ARRAYAGG(mu.user_id ORDER BY mu.user_id)
        FROM chat_openaimodel_users mu WHERE mu.openaimodel_id = m.id), JSON_ARRAY())) ORDER BY m.id)
    FROM chat_openaimodel m), JSON_ARRAY()));
SELECT JSON_OBJECT(
  'id', u.id, 'password', u.password, 'last_login', u.last_login, 'is_superuser', u.is_superuser = 1,
  'username', u.username, 'last_name', u.last_name, 'email', u.email, 'is_staff', u.is_staff = 1,
  'is_active', u.is_active = 1, 'date_joined', u.date_joined, 'first_name', u.first_name,
  'groups', COALESCE((
    SELECT JSON_ARRAYAGG(g.name ORDER BY g.name)
    FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = u.id), JSON_ARRAY()),
  'user_permissions', COALESCE((
    SELECT JSON_ARRAYAGG(JSON_OBJECT('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename)
                         ORDER BY ct.app_label, ct.model, p.codename)
    FROM auth_user_user_permissions up
    JOIN auth_permission p ON p.id = up.permission_id
    JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE up.user_id = u.id), JSON_ARRAY()))
FROM auth_user u ORDER BY u.id;
COMMIT;
