"""A maximum password length, for every path that sets a password.

Django's validators only bound a password from below. Without an upper bound a new
account accepted a password of 20,000 characters: hashing such input with Argon2 costs
time on every login, and no person types or pastes it on purpose. The bound sits in
``AUTH_PASSWORD_VALIDATORS``, so every path that sets a password checks it through
``validate_password``: the invitation link, a relative's invitation, allauth's password
change and password reset, and Django's admin forms and ``changepassword`` command.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

MAX_PASSWORD_LENGTH = 128
"""OWASP ASVS 4.0.3, requirement 2.1.2: "Verify that passwords of at least 64 characters
are permitted, and that passwords of more than 128 characters are denied"
(https://github.com/OWASP/ASVS/blob/v4.0.3/4.0/en/0x11-V2-Authentication.md). 128 keeps
every passphrase and password-manager password (64 characters and more, also NIST SP
800-63B section 5.1.1.2) while refusing input that only costs hashing time."""


class MaximumLengthValidator:
    """Refuse a password longer than ``max_length`` characters."""

    def __init__(self, max_length: int = MAX_PASSWORD_LENGTH) -> None:
        self.max_length = max_length

    def _message(self) -> str:
        return ngettext(
            "Your password can have at most %(max_length)d character.",
            "Your password can have at most %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                self._message(),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return self._message()
