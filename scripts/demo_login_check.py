#!/usr/bin/env python3
"""Log in to a running Maatwerk demo as the demo clinician, password + TOTP, like a person would.

Usage: demo_login_check.py BASE_URL   (e.g. http://127.0.0.1:8765)

Standard library only (urllib + http.cookiejar), so it checks the server from the outside
with no help from the application's own code. The credentials come from the environment:

    DEMO_EMAIL        (default huisarts@demo.maatwerk.nl)
    DEMO_PASSWORD     (default demo-wachtwoord-2026)
    DEMO_TOTP_SECRET  (default MAATWERKDEMOTOTPGEHEIMSLEUTEL234; base32)
    DEMO_NAME         (default "Dr. Anna de Vries"; must appear on the clinician's start page)

Steps: GET the login page, POST e-mail and password with the CSRF token, expect a redirect
to the MFA page (/accounts/2fa/authenticate/), POST a TOTP code computed here (RFC 6238:
HMAC-SHA1, 30 s, 6 digits), then GET / and expect the clinician's name on the page.
Exits 0 on success and non-zero with a message naming the failed step otherwise.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
import http.cookiejar
import os
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

LOGIN_PATH = "/accounts/login/"
MFA_PATH = "/accounts/2fa/authenticate/"
TOTP_PERIOD = 30
TOTP_DIGITS = 6
TIMEOUT = 30


class CheckFailed(Exception):
    pass


class _FormInputs(HTMLParser):
    """Collects the name -> value of every <input> on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "input":
            return
        attributes = dict(attrs)
        name = attributes.get("name")
        if name and name not in self.inputs:
            self.inputs[name] = attributes.get("value") or ""


def csrf_token(page: str, step: str) -> str:
    parser = _FormInputs()
    parser.feed(page)
    token = parser.inputs.get("csrfmiddlewaretoken")
    if not token:
        raise CheckFailed(f"{step}: no csrfmiddlewaretoken input in the page's form")
    return token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None  # let the caller see the 3xx response itself


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        cookie_handler = urllib.request.HTTPCookieProcessor(self.cookies)
        self.following = urllib.request.build_opener(cookie_handler)
        self.not_following = urllib.request.build_opener(cookie_handler, _NoRedirect())

    def url(self, path: str) -> str:
        url = urllib.parse.urljoin(self.base_url + "/", path.lstrip("/"))
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SystemExit(f"FAIL demo login check: {url!r} is not an http(s) URL")
        return url

    def get(self, path: str, step: str) -> tuple[str, str]:
        """GET, following redirects. Returns (final URL path, body)."""
        request = urllib.request.Request(self.url(path), headers={"Accept": "text/html"})  # noqa: S310 - http(s) checked in url()
        try:
            with self.following.open(request, timeout=TIMEOUT) as response:
                body = response.read().decode("utf-8", errors="replace")
                return urllib.parse.urlsplit(response.geturl()).path, body
        except urllib.error.HTTPError as error:
            raise CheckFailed(f"{step}: GET {path} answered HTTP {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise CheckFailed(f"{step}: GET {path} failed: {error}") from error

    def post(self, path: str, fields: dict[str, str], step: str) -> tuple[int, str, str]:
        """POST a form without following redirects. Returns (status, Location path, body)."""
        url = self.url(path)
        data = urllib.parse.urlencode(fields).encode("ascii")
        request = urllib.request.Request(  # noqa: S310 - http(s) checked in url()
            url,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": url,
                "Accept": "text/html",
            },
        )
        try:
            with self.not_following.open(request, timeout=TIMEOUT) as response:
                body = response.read().decode("utf-8", errors="replace")
                return response.status, "", body
        except urllib.error.HTTPError as error:
            if error.code in (301, 302, 303, 307, 308):
                location = error.headers.get("Location", "")
                target = urllib.parse.urlsplit(urllib.parse.urljoin(url, location)).path
                return error.code, target, ""
            raise CheckFailed(f"{step}: POST {path} answered HTTP {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise CheckFailed(f"{step}: POST {path} failed: {error}") from error


def decode_base32_secret(secret: str) -> bytes:
    """Decode the secret the way django-allauth does (strict base32, no padding added)."""
    normalized = "".join(secret.split()).upper()
    try:
        return base64.b32decode(normalized.encode("ascii"), casefold=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise CheckFailed(
            f"DEMO_TOTP_SECRET {normalized!r} is not valid base32 ({error}). It must use only "
            f"A-Z and 2-7 and, because django-allauth decodes it without adding padding, its "
            f"length must be a multiple of 8 (it has {len(normalized)} characters). Use a "
            f"valid secret both in the demo data and here."
        ) from error


def totp(key: bytes, at: float, period: int = TOTP_PERIOD, digits: int = TOTP_DIGITS) -> str:
    """RFC 6238 TOTP with HMAC-SHA1 (RFC 4226 dynamic truncation)."""
    counter = int(at) // period
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def fresh_totp(key: bytes) -> str:
    """A code with a few seconds of its 30 s window left, so it is still valid on arrival."""
    remaining = TOTP_PERIOD - (time.time() % TOTP_PERIOD)
    if remaining < 5:
        time.sleep(remaining + 0.5)
    return totp(key, time.time())


def check(base_url: str) -> None:
    email = os.environ.get("DEMO_EMAIL", "huisarts@demo.maatwerk.nl")
    password = os.environ.get("DEMO_PASSWORD", "demo-wachtwoord-2026")
    secret = os.environ.get("DEMO_TOTP_SECRET", "MAATWERKDEMOTOTPGEHEIMSLEUTEL234")
    name = os.environ.get("DEMO_NAME", "Dr. Anna de Vries")
    key = decode_base32_secret(secret)
    client = Client(base_url)

    step = "1. login page"
    path, page = client.get(LOGIN_PATH, step)
    if path != LOGIN_PATH:
        raise CheckFailed(f"{step}: GET {LOGIN_PATH} ended on {path} instead")
    token = csrf_token(page, step)
    print(f"ok   {step}: {LOGIN_PATH} served a form with a CSRF token")

    step = "2. password"
    status, location, _body = client.post(
        LOGIN_PATH,
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
        step,
    )
    if status == 200:
        raise CheckFailed(
            f"{step}: the login form came back (HTTP 200) instead of a redirect: wrong "
            f"e-mail or password for {email}, demo data not loaded, or login rate-limited"
        )
    if location != MFA_PATH:
        raise CheckFailed(
            f"{step}: login as {email} redirected to {location or '(no Location)'} "
            f"(HTTP {status}), expected the MFA page {MFA_PATH}; is TOTP set up for the "
            f"demo clinician?"
        )
    print(f"ok   {step}: {email} accepted, redirected to {MFA_PATH}")

    step = "3. MFA page"
    path, page = client.get(MFA_PATH, step)
    if path != MFA_PATH:
        raise CheckFailed(f"{step}: GET {MFA_PATH} ended on {path} instead")
    token = csrf_token(page, step)
    print(f"ok   {step}: {MFA_PATH} served a form with a CSRF token")

    step = "4. TOTP code"
    code = fresh_totp(key)
    status, location, _body = client.post(
        MFA_PATH, {"csrfmiddlewaretoken": token, "code": code}, step
    )
    if status == 200:
        raise CheckFailed(
            f"{step}: the MFA form came back (HTTP 200): the code computed from "
            f"DEMO_TOTP_SECRET was rejected (wrong secret, or server clock off by > 30 s)"
        )
    if location in (LOGIN_PATH, MFA_PATH):
        raise CheckFailed(f"{step}: after the TOTP code the server sent us back to {location}")
    print(f"ok   {step}: code accepted, redirected to {location or '(no Location)'}")

    step = "5. start page"
    path, page = client.get("/", step)
    if path in (LOGIN_PATH, MFA_PATH):
        raise CheckFailed(f"{step}: GET / ended on {path}: the session is not logged in")
    text = html.unescape(page)
    if name not in text:
        raise CheckFailed(f"{step}: the page at {path} does not show the name {name!r}")
    print(f"ok   {step}: {path} shows {name!r}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} BASE_URL", file=sys.stderr)
        return 2
    try:
        check(argv[1])
    except CheckFailed as failure:
        print(f"FAIL demo login check: {failure}", file=sys.stderr)
        return 1
    print("demo login check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
