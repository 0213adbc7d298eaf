#!/usr/bin/env python3
"""Writes the bad-input corpus: backups that every command must refuse, each with a digest that is right
unless the digest is what the case breaks (so the rule under test is the one that refuses it).

Run from this folder: /usr/bin/python3 make_corpus.py. expected.tsv says what the CLI must answer for each
file; BadInputCorpusTest runs them all. Files are committed; this script documents how they were made.

The encrypted cases (*.enc) follow docs/ENCRYPTION.md, written here independently of the Java code (needs
python3-cryptography), with the passphrase CORPUS_PASSPHRASE, which the test gives through
DJANGO_USER_BACKUP_PASSPHRASE, and segments of 256 bytes so a small document has several. Salt and nonce prefix
are derived from the file name, so the files come out the same on every run."""
import gzip
import hashlib
import hmac
import re
import struct

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CORPUS_PASSPHRASE = 'corpus passphrase'

HEADER = ('{\n  "format_version": 1,\n  "export_date": "2026-01-02T03:04:05.000000Z",\n'
          '  "django_version": {"at_least":"3.1","migrations":{"auth":"0012_alter_user_first_name_max_length",'
          '"contenttypes":"0002_remove_content_type_name"}},\n')
PERMISSIONS = '  "permissions": [\n    {"app_label":"auth","model":"user","codename":"view_user","name":"Can view user"}\n  ],\n'
GROUPS = '  "groups": [\n    {"id":1,"name":"editors","permissions":[{"app_label":"auth","model":"user","codename":"view_user"}]}\n  ],\n'


def user(id_='1', username='"carol"', password='"pbkdf2_sha256$260000$c2FsdA$aGFzaA="', is_active='true',
         groups='["editors"]', perms='[]', extra=''):
    return ('{"id":%s,"password":%s,"last_login":null,"is_superuser":false,"username":%s,"last_name":"",'
            '"email":"","is_staff":false,"is_active":%s,"date_joined":"2020-01-01 00:00:00","first_name":""%s,'
            '"groups":%s,"user_permissions":%s}') % (id_, password, username, is_active, extra, groups, perms)


def model(assigned='[1]'):
    return ('{"id":1,"name":"gpt-4o","description":"","max_tokens":1,"temperature":0.5,"is_enabled":true,'
            '"created":"2024-01-01 00:00:00","assigned_users":%s}' % assigned)


def users(*rows):
    return '  "users": [\n    ' + ',\n    '.join(rows) + '\n  ],\n'


def models(*rows):
    return '  "openai_models": [\n    ' + ',\n    '.join(rows) + '\n  ]\n}\n'


def document(permissions=PERMISSIONS, groups=GROUPS, users_=None, models_=None, header=HEADER):
    return (header + permissions + groups + (users_ or users(user(), user('2', '"dave"')))
            + (models_ or models(model())))


def seal(text):
    data = text.encode('utf-8') if isinstance(text, str) else text
    content = data[:re.search(rb'\s*\}\s*\Z', data).start()]
    return content + b',\n  "sha256": "' + hashlib.sha256(content).hexdigest().encode() + b'"\n}\n'


def encrypt(name, plaintext, passphrase=CORPUS_PASSPHRASE, segment_size=256, iterations=600_000):
    """An encrypted backup as docs/ENCRYPTION.md describes it."""
    seed = hashlib.sha256(name.encode()).digest()
    salt, nonce_prefix = seed[:16], seed[16:23]
    head = b'\x89DUBENC\n' + bytes([1, 1]) + struct.pack('>I', iterations) + salt + struct.pack('>I', segment_size) + nonce_prefix
    master = hashlib.pbkdf2_hmac('sha256', passphrase.encode('utf-8'), salt, iterations, 32)
    segment_key = hmac.new(master, b'django-user-backup v1 segment key\x01', hashlib.sha256).digest()
    check_key = hmac.new(master, b'django-user-backup v1 key check\x01', hashlib.sha256).digest()
    header = head + hmac.new(check_key, head, hashlib.sha256).digest()[:16]
    segments = [plaintext[i:i + segment_size] for i in range(0, len(plaintext), segment_size)] or [b'']
    sealed = [AESGCM(segment_key).encrypt(nonce_prefix + struct.pack('>I', i) + bytes([i == len(segments) - 1]),
                                          segment, header) for i, segment in enumerate(segments)]
    return header, sealed


def encrypted(name, plaintext, **options):
    header, sealed = encrypt(name, plaintext, **options)
    return header + b''.join(sealed)


def with_header_field(data, offset, value):
    return data[:offset] + value + data[offset + len(value):]


def write(name, data):
    with open(name, 'wb') as f:
        f.write(data.encode('utf-8') if isinstance(data, str) else data)


VALID = seal(document())

write('valid.json', VALID)  # the base of every case: BadInputCorpusTest checks that it imports

write('empty.json', b'')
write('whitespace-only.json', b' \n\t\n')
write('not-an-object.json', b'[1, 2, 3]\n')
write('truncated-in-a-row.json', VALID[:VALID.index(b'"dave"') + 3])
write('truncated-before-the-digest.json', VALID[:VALID.rindex(b']') + 1])
write('no-digest.json', document())
write('wrong-digest.json', re.sub(rb'"[0-9a-f]{64}"', b'"' + b'0' * 64 + b'"', VALID))
write('digest-in-upper-case.json', re.sub(rb'"([0-9a-f]{64})"', lambda m: b'"' + m.group(1).upper() + b'"', VALID))
write('digest-not-a-string.json', re.sub(rb'"[0-9a-f]{64}"', b'12345', VALID))
write('section-after-the-digest.json', VALID[:VALID.rindex(b'}')] + b',\n  "extra": []\n}\n')
write('tampered-password.json', VALID.replace(b'c2FsdA$aGFzaA=', b'c2FsdA$ZXZpbA=', 1))
write('tampered-is-superuser.json', VALID.replace(b'"is_superuser":false', b'"is_superuser":true ', 1))
write('garbage-after-the-end.json', VALID + b'{"more": 1}\n')
write('format-from-the-future.json', seal(document(header=HEADER.replace('"format_version": 1', '"format_version": 3'))))
write('format-zero.json', seal(document(header=HEADER.replace('"format_version": 1', '"format_version": 0'))))
write('format-as-text.json', seal(document(header=HEADER.replace('"format_version": 1', '"format_version": "1"'))))
write('format-missing.json', seal(document(header=HEADER.replace('  "format_version": 1,\n', ''))))
write('export-date-a-number.json', seal(document(header=HEADER.replace('"2026-01-02T03:04:05.000000Z"', '20260102'))))
write('section-not-an-array.json', seal(document(users_='  "users": {"id": 1},\n')))
write('row-not-an-object.json', seal(document(users_='  "users": [\n    1\n  ],\n')))
write('unknown-section.json', seal(document(groups=GROUPS + '  "profiles": [\n    {"id":1}\n  ],\n')))
write('users-before-groups.json', seal(HEADER + PERMISSIONS + users(user()) + GROUPS.replace('],\n', '],\n', 1)
                                       + models(model())))
write('missing-section.json', seal(HEADER + PERMISSIONS + GROUPS + users(user()).rstrip(',\n') + '\n}\n'))
write('duplicate-top-level-key.json', seal(document(header=HEADER.replace('"format_version": 1,', '"format_version": 1, "format_version": 1,'))))
write('duplicate-key-in-a-row.json', seal(document(users_=users(user(extra=',"email":"x@example.com"')))))
write('duplicate-user-id.json', seal(document(users_=users(user(), user('1', '"dave"')))))
write('duplicate-username.json', seal(document(users_=users(user(), user('2', '"carol"')))))
write('duplicate-group-name.json', seal(document(groups=GROUPS.replace('}\n  ]', '},\n    {"id":2,"name":"editors","permissions":[]}\n  ]'))))
write('dangling-group.json', seal(document(users_=users(user(groups='["ghosts"]')))))
write('dangling-user-permission.json', seal(document(users_=users(user(perms='[{"app_label":"auth","model":"user","codename":"fly"}]')))))
write('dangling-group-permission.json', seal(document(groups=GROUPS.replace('"codename":"view_user"}]', '"codename":"fly"}]'))))
write('dangling-assigned-user.json', seal(document(models_=models(model('[1, 99]')))))
write('username-a-number.json', seal(document(users_=users(user(username='5')))))
write('flag-a-string.json', seal(document(users_=users(user(is_active='"yes"')))))
write('password-null.json', seal(document(users_=users(user(password='null')))))
write('username-too-long.json', seal(document(users_=users(user(username='"' + 'x' * 151 + '"')))))
write('huge-username.json.gz', gzip.compress(seal(document(users_=users(user(username='"' + 'x' * 1_000_000 + '"')))), mtime=0))
write('huge-number.json', seal(document(users_=users(user(id_='1' * 100)))))
write('id-out-of-range.json', seal(document(users_=users(user(id_='99999999999999999999')))))
write('id-a-fraction.json', seal(document(users_=users(user(id_='1.5')))))
write('nan.json', seal(document(models_=models(model().replace('0.5', 'NaN')))))
write('deeply-nested.json', seal(document(users_=users(user(extra=',"first_name2":' + '[' * 100_000 + ']' * 100_000)))))
write('nested-value-in-a-column.json', seal(document(users_=users(user(extra=',"last_login2":{"a":{"b":1}}').replace('"email":""', '"email":{"a":1}')))))
write('invalid-utf-8.json', seal(document(users_=users(user(username='"car\xffol"')))).replace(b'car\xc3\xbfol', b'car\xffol'))
write('utf-16.json', seal(document()).decode('utf-8').encode('utf-16'))
write('control-character-in-a-string.json', seal(document(users_=users(user(username='"car\x01ol"')))))
write('malformed-timestamp.json', seal(document(users_=users(user().replace('2020-01-01 00:00:00', 'yesterday')))))
write('column-the-target-lacks.json', seal(document(users_=users(user(extra=',"shoe_size":44')))))
write('truncated.json.gz', gzip.compress(VALID, mtime=0)[:-30])
write('not-gzip-after-the-magic.json.gz', b'\x1f\x8b' + b'not really gzip' * 4)
write('gzip-of-a-tampered-backup.json.gz', gzip.compress(VALID.replace(b'"dave"', b'"eve!"'), mtime=0))

# Django fixtures (issue 13): a list of {"model", "pk", "fields"} entries as manage.py dumpdata writes them, read
# as a backup; each case breaks one rule and is refused with the entry's place ([3].fields.username).
def fixture_user(pk='1', username='"carol"', groups='[["editors"]]', perms='[]', extra=''):
    pk_field = '' if pk is None else '"pk": %s, ' % pk
    return ('{"model": "auth.user", ' + pk_field + '"fields": {"password": "pbkdf2_sha256$260000$c2FsdA$aGFzaA=", '
            '"last_login": null, "is_superuser": false, "username": ' + username + ', "first_name": "", '
            '"last_name": "", "email": "", "is_staff": false, "is_active": true, '
            '"date_joined": "2020-01-01T00:00:00Z", "groups": ' + groups + ', "user_permissions": ' + perms
            + extra + '}}')


FIXTURE_PERMISSION = ('{"model": "auth.permission", "fields": {"name": "Can view user", "content_type": ["auth", "user"],'
                      ' "codename": "view_user"}}')
FIXTURE_GROUP = '{"model": "auth.group", "fields": {"name": "editors", "permissions": [["view_user", "auth", "user"]]}}'


def fixture_model(users='[["carol"]]'):
    return ('{"model": "chat.openaimodel", "pk": 1, "fields": {"name": "gpt-4o", "description": "", "max_tokens": 1, '
            '"temperature": "0.50", "is_enabled": true, "created": "2024-01-01T00:00:00Z", "users": ' + users + '}}')


def fixture(*entries):
    return ('[\n' + ',\n'.join(entries) + '\n]\n').encode('utf-8')


FIXTURE_ENTRIES = [FIXTURE_PERMISSION, FIXTURE_GROUP, fixture_user(), fixture_user('2', '"dave"'), fixture_model()]
VALID_FIXTURE = fixture(*FIXTURE_ENTRIES)
write('valid-fixture.json', VALID_FIXTURE)  # imports, like valid.json
write('fixture-unsupported-model.json', fixture(*FIXTURE_ENTRIES[:4],
      '{"model": "sites.site", "pk": 1, "fields": {"domain": "example.com", "name": "example.com"}}', FIXTURE_ENTRIES[4]))
write('fixture-misspelled-model.json', fixture(*FIXTURE_ENTRIES[:3], fixture_user('2', '"dave"').replace('auth.user', 'auth.usr'),
      FIXTURE_ENTRIES[4]))
write('fixture-dangling-group.json', fixture(*FIXTURE_ENTRIES[:3], fixture_user('2', '"dave"', groups='[["writers"]]'),
      FIXTURE_ENTRIES[4]))
write('fixture-dangling-user.json', fixture(*FIXTURE_ENTRIES[:4], fixture_model('[["carol"], ["zed"]]')))
write('fixture-dangling-permission-id.json', fixture(FIXTURE_GROUP, fixture_user(perms='[99]'), FIXTURE_ENTRIES[4]))
write('fixture-duplicate-username.json', fixture(*FIXTURE_ENTRIES[:3], fixture_user('2', '"carol"'), FIXTURE_ENTRIES[4]))
write('fixture-duplicate-username-natural-primary.json', fixture(*FIXTURE_ENTRIES[:2], fixture_user(None),
      fixture_user(None), FIXTURE_ENTRIES[4]))
write('fixture-one-object.json', (fixture_user() + '\n').encode('utf-8'))
write('fixture-entry-not-an-object.json', fixture(*FIXTURE_ENTRIES[:2], '"auth.user"', *FIXTURE_ENTRIES[2:]))
write('fixture-entry-without-fields.json', fixture(*FIXTURE_ENTRIES[:2], '{"model": "auth.user", "pk": 3}',
      *FIXTURE_ENTRIES[2:]))
write('fixture-malformed-datetime.json', fixture(*FIXTURE_ENTRIES[:3],
      fixture_user('2', '"dave"').replace('2020-01-01T00:00:00Z', 'yesterday'), FIXTURE_ENTRIES[4]))
write('fixture-truncated.json', VALID_FIXTURE[:VALID_FIXTURE.index(b'"dave"') + 3])
write('fixture-truncated.json.gz', gzip.compress(VALID_FIXTURE, mtime=0)[:-30])

# Encrypted backups: the passphrase, the layers and the segments must all be right.
write('valid.json.enc', encrypted('valid.json.enc', VALID))  # imports: a Python-written file, read by Java
write('valid.json.gz.enc', encrypted('valid.json.gz.enc', gzip.compress(VALID, mtime=0)))  # imports too
write('wrong-passphrase.json.enc', encrypted('wrong-passphrase.json.enc', VALID, passphrase='another passphrase'))
ENCRYPTED = encrypted('encrypted.json.enc', VALID)
HEADER_LENGTH, SEALED = 57, 256 + 16
write('truncated-in-the-encryption-header.json.enc', ENCRYPTED[:20])
write('truncated-after-the-encryption-header.json.enc', ENCRYPTED[:HEADER_LENGTH])
write('truncated-at-a-segment-boundary.json.enc', ENCRYPTED[:HEADER_LENGTH + 3 * SEALED])
write('truncated-in-a-segment.json.enc', ENCRYPTED[:HEADER_LENGTH + 3 * SEALED + 100])
write('flipped-byte-in-a-segment.json.enc', ENCRYPTED[:HEADER_LENGTH + SEALED + 10]
      + bytes([ENCRYPTED[HEADER_LENGTH + SEALED + 10] ^ 1]) + ENCRYPTED[HEADER_LENGTH + SEALED + 11:])
_header, _sealed = encrypt('encrypted.json.enc', VALID)
write('swapped-segments.json.enc', _header + _sealed[0] + _sealed[2] + _sealed[1] + b''.join(_sealed[3:]))
write('garbage-after-the-last-segment.json.enc', ENCRYPTED + b'\x00')
write('edited-encryption-header.json.enc', with_header_field(ENCRYPTED, 34, bytes([ENCRYPTED[34] ^ 1])))
write('iterations-too-few.json.enc', with_header_field(ENCRYPTED, 10, struct.pack('>I', 1000)))
write('iterations-too-many.json.enc', with_header_field(ENCRYPTED, 10, struct.pack('>I', 0xFFFFFFFF)))
write('segment-size-too-large.json.enc', with_header_field(ENCRYPTED, 30, struct.pack('>I', 0x7FFFFFFF)))
write('encryption-format-from-the-future.json.enc', with_header_field(ENCRYPTED, 8, b'\x02'))
write('encrypted-gzip-of-a-tampered-backup.json.gz.enc', encrypted('encrypted-gzip-of-a-tampered-backup.json.gz.enc',
      gzip.compress(VALID.replace(b'"dave"', b'"eve!"'), mtime=0)))
