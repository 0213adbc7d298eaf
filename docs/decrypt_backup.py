#!/usr/bin/env python3
"""Decrypts a django-user-backup encrypted backup without Java: the reference reader of docs/ENCRYPTION.md.

    DJANGO_USER_BACKUP_PASSPHRASE=... python3 docs/decrypt_backup.py backup.json.enc > backup.json
    python3 docs/decrypt_backup.py backup.json.gz.enc | gunzip > backup.json     # asks for the passphrase

Needs the 'cryptography' package (Debian: python3-cryptography). Writes the plaintext to standard output one
segment at a time, and only segments that authenticated; exits 1 with one line on standard error otherwise
(a partial output is then incomplete: discard it)."""
import getpass
import hashlib
import hmac
import os
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b'\x89DUBENC\n'
HEADER_LENGTH = 57
TAG_LENGTH = 16


def expand(master, info):
    """HKDF-Expand (RFC 5869) for one 32-byte block."""
    return hmac.new(master, info + b'\x01', hashlib.sha256).digest()


def decrypt(stream, passphrase, out):
    header = stream.read(HEADER_LENGTH)
    if len(header) < HEADER_LENGTH or header[:8] != MAGIC:
        raise ValueError('not an encrypted backup, or its header is truncated')
    version, kdf, iterations = header[8], header[9], struct.unpack('>I', header[10:14])[0]
    salt, segment_size = header[14:30], struct.unpack('>I', header[30:34])[0]
    nonce_prefix, key_check = header[34:41], header[41:57]
    if version != 1 or kdf != 1:
        raise ValueError('encryption format %d / key derivation %d is not 1 / 1' % (version, kdf))
    if not 600_000 <= iterations <= 10_000_000 or not 256 <= segment_size <= 1 << 20:
        raise ValueError('iterations %d or segment size %d out of range' % (iterations, segment_size))
    master = hashlib.pbkdf2_hmac('sha256', passphrase.encode('utf-8'), salt, iterations, 32)
    segment_key = expand(master, b'django-user-backup v1 segment key')
    check_key = expand(master, b'django-user-backup v1 key check')
    if not hmac.compare_digest(hmac.new(check_key, header[:41], hashlib.sha256).digest()[:16], key_check):
        raise ValueError('wrong passphrase (or the encryption header was changed)')
    aead = AESGCM(segment_key)
    sealed_size = segment_size + TAG_LENGTH
    index = 0
    sealed = stream.read(sealed_size)
    while True:
        following = stream.read(sealed_size) if len(sealed) == sealed_size else b''
        last = not following
        nonce = nonce_prefix + struct.pack('>I', index) + (b'\x01' if last else b'\x00')
        try:
            out.write(aead.decrypt(nonce, sealed, header))
        except InvalidTag:
            raise ValueError('segment %d does not authenticate (truncated, damaged or changed)' % index) from None
        if last:
            return
        sealed, index = following, index + 1


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    passphrase = os.environ.get('DJANGO_USER_BACKUP_PASSPHRASE') or getpass.getpass('Passphrase: ')
    try:
        with open(sys.argv[1], 'rb') as stream:
            decrypt(stream, passphrase, sys.stdout.buffer)
    except ValueError as e:
        print('decrypt_backup.py: %s: %s' % (sys.argv[1], e), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
