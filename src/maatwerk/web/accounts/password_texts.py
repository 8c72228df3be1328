"""Django's password-validator messages, marked here so the project's catalog translates them.

Django's own Dutch catalog says "Uw wachtwoord ..."; Maatwerk addresses everyone with "je".
The project's catalog (``LOCALE_PATHS``) takes precedence over Django's, but
``makemessages`` keeps only strings it finds in the project's source: this module is
where it finds them. The text must stay identical to Django's (``django.contrib.auth.
password_validation``).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

PASSWORD_VALIDATOR_TEXTS = (
    ngettext_lazy(  # lazy without a number: only marked, never translated here
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
)
