from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the person chose otherwise.

    The language is the one chosen with the language switch (a cookie), else the
    account's language, else Dutch. The browser's Accept-Language is ignored on
    purpose: a Dutch care platform opened on an English-configured phone stays Dutch
    until the patient asks for English.
    """

    def process_request(self, request: HttpRequest) -> None:
        supported = {code for code, _ in settings.LANGUAGES}
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in supported:
            user = getattr(request, "user", None)
            code = (
                getattr(user, "language", None)
                if user is not None and user.is_authenticated
                else None
            )
        if code not in supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
