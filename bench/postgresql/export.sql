-- Reference export on PostgreSQL: the server builds the whole backup document with its JSON functions and psql
-- writes it out.
--   psql -X -q -f bench/postgresql/export.sql postgres://... > OUT.json
-- Same sections, fields and orders as django-user-backup's export, but compact, with PostgreSQL's own text for
-- timestamps and numbers; one read-only snapshot, like ours.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT json_build_object(
  'format_version', 1,
  'export_date', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'django_version', json_build_object(
    'at_least', '3.1',
    'migrations', json_build_object(
      'auth', (SELECT max(name) FROM django_migrations WHERE app = 'auth'),
      'contenttypes', (SELECT max(name) FROM django_migrations WHERE app = 'contenttypes'))),
  'permissions', COALESCE((
    SELECT json_agg(json_build_object('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename, 'name', p.name)
                    ORDER BY ct.app_label, ct.model, p.codename)
    FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id), '[]'::json),
  'groups', COALESCE((
    SELECT json_agg(json_build_object('id', g.id, 'name', g.name, 'permissions', COALESCE((
      SELECT json_agg(json_build_object('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename)
                      ORDER BY ct.app_label, ct.model, p.codename)
      FROM auth_group_permissions gp
      JOIN auth_permission p ON p.id = gp.permission_id
      JOIN django_content_type ct ON ct.id = p.content_type_id
      WHERE gp.group_id = g.id), '[]'::json)) ORDER BY g.id)
    FROM auth_group g), '[]'::json),
  'users', COALESCE((
    SELECT json_agg(json_build_object(
      'id', u.id, 'password', u.password, 'last_login', u.last_login, 'is_superuser', u.is_superuser,
      'username', u.username, 'last_name', u.last_name, 'email', u.email, 'is_staff', u.is_staff,
      'is_active', u.is_active, 'date_joined', u.date_joined, 'first_name', u.first_name,
      'groups', COALESCE((
        SELECT json_agg(g.name ORDER BY g.name)
        FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = u.id), '[]'::json),
      'user_permissions', COALESCE((
        SELECT json_agg(json_build_object('app_label', ct.app_label, 'model', ct.model, 'codename', p.codename)
                        ORDER BY ct.app_label, ct.model, p.codename)
        FROM auth_user_user_permissions up
        JOIN auth_permission p ON p.id = up.permission_id
        JOIN django_content_type ct ON ct.id = p.content_type_id
        WHERE up.user_id = u.id), '[]'::json)) ORDER BY u.id)
    FROM auth_user u), '[]'::json),
  'openai_models', COALESCE((
    SELECT json_agg(json_build_object(
      'id', m.id, 'name', m.name, 'description', m.description, 'max_tokens', m.max_tokens,
      'temperature', m.temperature, 'is_enabled', m.is_enabled, 'created', m.created,
      'assigned_users', COALESCE((
        SELECT json_agg(mu.user_id ORDER BY mu.user_id)
        FROM chat_openaimodel_users mu WHERE mu.openaimodel_id = m.id), '[]'::json)) ORDER BY m.id)
    FROM chat_openaimodel m), '[]'::json));
COMMIT;
