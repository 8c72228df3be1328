"""Links that leave the site, in e-mails: they must be absolute to work in a mail client."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str) -> str:
    """``path`` on this installation's public address (``MAATWERK_SITE_URL``).

    Without that setting the path stays relative: there is no request to learn the host
    from, and guessing one would send people to the wrong server.
    """
    base: str = settings.MAATWERK_SITE_URL
    return f"{base}{path}" if base else path
