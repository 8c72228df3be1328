"""RFC 6238 time-based one-time passwords (used for the demo second factor)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp_at(secret_base32: str, unix_time: float, *, period: int = 30, digits: int = 6) -> str:
    """The TOTP code for ``unix_time`` (HMAC-SHA1, RFC 6238 defaults)."""
    padded = secret_base32.upper() + "=" * (-len(secret_base32) % 8)
    key = base64.b32decode(padded)
    counter = int(unix_time // period)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_now(secret_base32: str) -> str:
    return totp_at(secret_base32, time.time())
