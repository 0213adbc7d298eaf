-- Reference export: SQLite's own engine builds the whole backup document with its JSON functions.
--   sqlite3 -batch -readonly DB < bench/sqlite/export.sql > OUT.json
-- Same sections, fields and orders as django-user-backup's export (permissions by natural key,
-- groups/users/models by id, a user's groups by name, permission lists by natural key, assigned
-- users by id), but compact rather than indented, and the header's "at_least" is fixed to what the
-- auth migration 0012 implies. One read transaction and the same pragmas as ours (foreign keys on, a 64 MiB page
-- cache: what its SQLite connection sets).
.headers off
.mode list
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -65536;
BEGIN;
SELECT json_object(
  'format_version', 1,
  'export_date', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
  'django_version', json_object(
    'at_least', '3.1',
    'migrations', json_object(
      'auth', (SELECT name FROM django_migrations WHERE app = 'auth' ORDER BY name DESC LIMIT 1),
      'contenttypes', (SELECT name FROM django_migrations WHERE app = 'contenttypes' ORDER BY name DESC LIMIT 1))),
  'permissions', (
    SELECT json_group_array(json_object('app_label', app_label, 'model', model, 'codename', codename, 'name', name))
    FROM (SELECT ct.app_label, ct.model, p.codename, p.name
          FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
          ORDER BY ct.app_label, ct.model, p.codename)),
  'groups', (
    SELECT json_group_array(json_object('id', g.id, 'name', g.name, 'permissions', json((
      SELECT json_group_array(json_object('app_label', app_label, 'model', model, 'codename', codename))
      FROM (SELECT ct.app_label, ct.model, p.codename
            FROM auth_group_permissions gp
            JOIN auth_permission p ON p.id = gp.permission_id
            JOIN django_content_type ct ON ct.id = p.content_type_id
            WHERE gp.group_id = g.id
            ORDER BY ct.app_label, ct.model, p.codename)))))
    FROM (SELECT id, name FROM auth_group ORDER BY id) g),
  'users', (
    SELECT json_group_array(json_object(
      'id', u.id,
      'password', u.password,
      'last_login', u.last_login,
      'is_superuser', json(CASE WHEN u.is_superuser THEN 'true' ELSE 'false' END),
      'username', u.username,
      'last_name', u.last_name,
      'email', u.email,
      'is_staff', json(CASE WHEN u.is_staff THEN 'true' ELSE 'false' END),
      'is_active', json(CASE WHEN u.is_active THEN 'true' ELSE 'false' END),
      'date_joined', u.date_joined,
      'first_name', u.first_name,
      'groups', json((
        SELECT json_group_array(name)
        FROM (SELECT g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
              WHERE ug.user_id = u.id ORDER BY g.name))),
      'user_permissions', json((
        SELECT json_group_array(json_object('app_label', app_label, 'model', model, 'codename', codename))
        FROM (SELECT ct.app_label, ct.model, p.codename
              FROM auth_user_user_permissions up
              JOIN auth_permission p ON p.id = up.permission_id
              JOIN django_content_type ct ON ct.id = p.content_type_id
              WHERE up.user_id = u.id
              ORDER BY ct.app_label, ct.model, p.codename)))))
    FROM (SELECT * FROM auth_user ORDER BY id) u),
  'openai_models', (
    SELECT json_group_array(json_object(
      'id', m.id, 'name', m.name, 'description', m.description, 'max_tokens', m.max_tokens,
      'temperature', m.temperature,
      'is_enabled', json(CASE WHEN m.is_enabled THEN 'true' ELSE 'false' END),
      'created', m.created,
      'assigned_users', json((
        SELECT json_group_array(user_id)
        FROM (SELECT user_id FROM chat_openaimodel_users WHERE openaimodel_id = m.id ORDER BY user_id)))))
    FROM (SELECT * FROM chat_openaimodel ORDER BY id) m));
COMMIT;
