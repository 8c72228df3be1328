"""The users of the load benchmark (`make load`), read from the plan `prepare.py` wrote.

- Patients save questionnaire answers and autosave an exercise (patient writes).
- Clinicians open their caseload, a patient's dossier and results (the busiest reads).
- EMA patients (the ``ema`` scenario, run on its own) send answers to daily-life
  questions the way the phone app does: a form post asking for JSON, with an answer id.
  Each answer uses up one open prompt of the patient; run ``LOAD_ROUND`` of
  ``LOAD_ROUNDS`` takes its own share of them, so every run answers fresh prompts.
- A few users ask for the liveness view: the cost of the Django stack itself, measured in
  the same run on the same machine, as the baseline the other figures are read against.

Every user waits 1–3 s between requests (a person typing or reading), so N users make
about N/2 requests a second.

The users are locust's ``FastHttpUser`` (geventhttpclient): the same requests, timed the
same way (from sending to the whole response), for a fraction of the CPU of the
``requests``-based ``HttpUser`` - locust runs on the machine it measures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, between, events, task

# Every request is also written to LOAD_REQUEST_LOG (run.py sets it), one line each: the
# second it started, its name, its milliseconds. run.py reads the requests after the ramp
# from it, and it shows when a run's slow requests happened.
_REQUEST_LOG = os.environ.get("LOAD_REQUEST_LOG")
if _REQUEST_LOG:
    _log_file = Path(_REQUEST_LOG).open("a", encoding="utf-8")  # noqa: SIM115 - for the run

    @events.request.add_listener
    def _log_request(name: str, response_time: float, start_time: float, **_: Any) -> None:
        _log_file.write(f"{start_time:.3f}\t{name}\t{response_time:.1f}\n")


_PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
_LOCK = threading.Lock()
_PATIENTS = itertools.cycle(_PLAN["patients"])
_CLINICIANS = itertools.cycle(_PLAN["clinicians"])


def _next(pool: itertools.cycle[dict[str, Any]]) -> dict[str, Any]:
    with _LOCK:
        return next(pool)


def _cookie(host: str, name: str, value: str) -> Cookie:
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=urlsplit(host).hostname or "",
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )


class _SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(1, 3)
    account: dict[str, Any]

    def sign_in(self, account: dict[str, Any]) -> None:
        self.account = account
        host = self.host or ""
        self.client.cookiejar.set_cookie(_cookie(host, "sessionid", account["session"]))
        self.client.cookiejar.set_cookie(_cookie(host, "csrftoken", account["csrf"]))

    def post(
        self, path: str, data: dict[str, str], name: str, *, accept_json: bool = False
    ) -> None:
        headers = {"X-CSRFToken": self.account["csrf"], "Referer": (self.host or "") + path}
        if accept_json:
            headers["Accept"] = "application/json"
        with self.client.post(
            path, data=data, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200 or not response.json().get("saved"):
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Patient(_SignedIn):
    weight = 6

    def on_start(self) -> None:
        self.sign_in(_next(_PATIENTS))
        self.stamp = 0

    @task(3)
    def answer_questionnaire_item(self) -> None:
        item = random.choice(self.account["items"])  # noqa: S311 - load pattern, not security
        value = str(random.randint(0, 3))  # noqa: S311
        self.post(self.account["answer"], {"item": item, "value": value}, "answer save")

    @task(3)
    def autosave_exercise(self) -> None:
        self.stamp += 1
        text = json.dumps(f"Ik bukte en voelde een steek in mijn rug ({self.stamp})")
        self.post(
            self.account["exercise_save"],
            {"field": "event", "value": text, "stamp": str(self.stamp)},
            "exercise autosave",
        )


class EmaPatient(_SignedIn):
    weight = 20

    def on_start(self) -> None:
        self.sign_in(_next(_PATIENTS))
        prompts = self.account["ema_answers"]
        share = len(prompts) // int(os.environ.get("LOAD_ROUNDS", "1"))
        start = share * int(os.environ.get("LOAD_ROUND", "0"))
        self.prompts = iter(prompts[start : start + share])

    @task
    def answer_ema_prompt(self) -> None:
        path = next(self.prompts, None)
        if path is None:
            # The seed had too few prompts for this run: counted as an error, not hidden.
            self.environment.events.request.fire(
                request_type="POST",
                name="EMA answer submit",
                response_time=0,
                response_length=0,
                exception=RuntimeError("no open prompt left in the seed"),
            )
            return
        answer = {
            "bank:pain": str(random.randint(0, 100)),  # noqa: S311 - load pattern
            "bank:mood_down": str(random.randint(0, 100)),  # noqa: S311
            "bank:where": random.choice(("home", "work", "outside")),  # noqa: S311
            "answer_id": str(uuid.uuid4()),
        }
        self.post(path, answer, "EMA answer submit", accept_json=True)


class Clinician(_SignedIn):
    weight = 3

    def on_start(self) -> None:
        self.sign_in(_next(_CLINICIANS))

    @task(1)
    def caseload(self) -> None:
        self.client.get(_PLAN["caseload"], name="caseload")

    @task(2)
    def dossier(self) -> None:
        self.client.get(random.choice(self.account["dossiers"]), name="patient dossier")  # noqa: S311

    @task(2)
    def results(self) -> None:
        self.client.get(random.choice(self.account["results"]), name="results")  # noqa: S311


class Baseline(FastHttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task
    def health(self) -> None:
        self.client.get(_PLAN["health"], name="trivial view (baseline)")
