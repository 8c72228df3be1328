"""Web Push for real: ``pywebpush`` sends through the worker to a local push endpoint
that implements the receiving side, so the encryption and the VAPID signature are
checked, not assumed.

The endpoint (an HTTP server on 127.0.0.1:8121) does what a push service and the
browser do together: it verifies the VAPID JWT (RFC 8292: ES256 over the claims, with
the key in ``k=``, audience = the endpoint's origin, expiry in the future) and decrypts
the payload (RFC 8291, ``aes128gcm``) with the subscription's private key and auth
secret, as the browser would.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import override_settings

from maatwerk.web.monitoring.models import Channel, Prompt, PromptState, PushSubscription
from tests.web.test_background import (  # noqa: F401  (fixtures used by name)
    DATABASE_TASKS,
    Clock,
    _audit_triggers_restored,
    committed,
)
from tests.web.test_monitoring_delivery import MONDAY, _ema_schedule, _events, _tick
from tests.web.world import World

PORT = 8121
ORIGIN = f"http://127.0.0.1:{PORT}"
SUBJECT = "mailto:monitoring-test@example.org"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """One subscribed browser: its ECDH key pair and auth secret (what the browser keeps
    and the server gets as ``p256dh`` and ``auth``)."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self) -> str:
        return _b64(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


def _verify_vapid(header: str) -> dict[str, object]:
    """The claims of a valid ``Authorization: vapid t=..., k=...`` header (RFC 8292)."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, public = fields["t"], _unb64(fields["k"])
    signed, _, signature = token.rpartition(".")
    head, body = (json.loads(_unb64(part)) for part in signed.split("."))
    assert head["alg"] == "ES256"
    raw = _unb64(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    key.verify(
        encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
        signed.encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims: dict[str, object] = body
    return claims


class PushEndpoint:
    """Receives pushes at ``/push/<name>``: 201 for a known browser (after verifying and
    decrypting), 410 for ``/push/gone``."""

    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.received: list[dict[str, object]] = []
        self.errors: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                name = self.path.rsplit("/", 1)[-1]
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if name not in endpoint.browsers:
                    self.send_response(410)
                    self.end_headers()
                    return
                try:
                    claims = _verify_vapid(self.headers["Authorization"])
                    browser = endpoint.browsers[name]
                    plain = http_ece.decrypt(
                        body,
                        private_key=browser.key,
                        auth_secret=browser.auth,
                        version="aes128gcm",
                    )
                    endpoint.received.append(
                        {
                            "browser": name,
                            "claims": claims,
                            "ttl": int(self.headers["TTL"]),
                            "encoding": self.headers["Content-Encoding"],
                            "payload": json.loads(plain),
                        }
                    )
                except Exception as error:  # reported by the test, never swallowed
                    endpoint.errors.append(repr(error))
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)

    def subscribe(self, name: str) -> Browser:
        browser = Browser()
        self.browsers[name] = browser
        return browser


@pytest.fixture
def push_endpoint() -> Iterator[PushEndpoint]:
    endpoint = PushEndpoint()
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        endpoint.server.shutdown()
        endpoint.server.server_close()


def _vapid_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _b64(der)


@pytest.mark.usefixtures("committed")
def test_a_prompt_goes_out_by_web_push_encrypted_and_signed(
    world: World, push_endpoint: PushEndpoint, tmp_path: Path
) -> None:
    with override_settings(
        TASKS=DATABASE_TASKS,
        MAATWERK_VAPID_PRIVATE_KEY=_vapid_private_key(),
        MAATWERK_VAPID_SUBJECT=SUBJECT,
    ):
        phone = push_endpoint.subscribe("phone")
        for name, browser in (("phone", phone), ("gone", Browser())):
            PushSubscription.objects.create(
                patient=world.patient_a,
                endpoint=f"{ORIGIN}/push/{name}",
                p256dh=browser.p256dh,
                auth=_b64(browser.auth),
            )
        schedule = _ema_schedule(world, channel=Channel.PUSH)
        clock = Clock(MONDAY)
        _tick(clock)
        first = schedule.prompts.order_by("due_at").first()
        assert first is not None
        clock.now = first.due_at
        _tick(clock)

        assert push_endpoint.errors == []
        (message,) = push_endpoint.received
        assert message["browser"] == "phone" and message["encoding"] == "aes128gcm"
        claims = message["claims"]
        assert isinstance(claims, dict)
        assert claims["aud"] == ORIGIN and claims["sub"] == SUBJECT
        assert int(claims["exp"]) > time.time()
        payload = message["payload"]
        assert isinstance(payload, dict)
        assert payload["prompt"] == str(first.public_id)
        # Content-free: that a question waits, in the patient's language, nothing more.
        assert payload["title"] == "Er staat een korte vraag klaar"
        assert world.patient_a.full_name not in json.dumps(payload)
        # Valid for as long as the prompt can be answered.
        assert 0 < int(message["ttl"]) <= 60 * 60

        first.refresh_from_db()
        # The push service accepted it; only the phone could say it was shown.
        assert first.state == PromptState.SENT
        assert _events(first) == ["scheduled", "send"]
        assert (
            "201" in first.log.get(event="send").detail
            and "410" in first.log.get(event="send").detail
        )
        gone = PushSubscription.objects.get(endpoint=f"{ORIGIN}/push/gone")
        assert gone.gone_at is not None

        # With no live subscription left the next prompt fails, and says why.
        PushSubscription.objects.filter(endpoint=f"{ORIGIN}/push/phone").update(
            gone_at=datetime.now(UTC)
        )
        second = schedule.prompts.order_by("due_at")[1]
        clock.now = second.due_at + timedelta(minutes=1)
        _tick(clock)
        second = Prompt.objects.get(pk=second.pk)
        assert second.state == PromptState.FAILED
        assert second.log.get(event="fail").detail == "no_push_subscription"
        assert len(push_endpoint.received) == 1
