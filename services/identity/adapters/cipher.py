"""Encryption at rest for the few secrets identity must be able to read back.

The private signing keys and a one-time password waiting to be printed on its slip are
encrypted with AES-256-GCM under a key derived from `EJ_IDENTITY_KEY_SECRET`, so a copy of the
database alone signs no token and reveals no password.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE = 12


class SecretBox:
    def __init__(self, secret: str) -> None:
        key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"ej-identity", info=b"secret-box-v1"
        ).derive(secret.encode())
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, *, purpose: str) -> str:
        """`purpose` (a key id, an account id) binds the ciphertext to the row it belongs to."""
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plaintext, purpose.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, token: str, *, purpose: str) -> bytes:
        raw = base64.b64decode(token)
        try:
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], purpose.encode())
        except InvalidTag as exc:
            raise ValueError(
                "cannot decrypt: EJ_IDENTITY_KEY_SECRET differs from the one that sealed it"
            ) from exc
