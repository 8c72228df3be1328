"""Demo diary data: a simulated patient with a known personal network.

The real ESM data sets in the project's shared folder (Bastiaansen et al. 2019;
Kossakowski et al. 2017) have no verified licence to redistribute them inside a product,
so the demo simulates a diary instead: a lag-1 vector autoregression with a fixed seed,
five questions, six moments a day for 40 days. The file name and the demo page say that
the data are simulated. The structure is known, so the demo also shows that the estimate
finds it. For Sophie Jansen (chronic back pain; her circle: pain → fear of bending →
avoiding → weaker muscles → pain):

* from one moment to the next: pain → fear, fear → avoiding (two arrows of her circle),
  and fear → pain (an arrow her circle lacks); each question also follows itself;
* at the same moment: pain with tiredness, and fear with low mood (tiredness and low
  mood are not boxes of her circle).
"""

from __future__ import annotations

import csv
import io
from typing import Final

import numpy as np
from numpy.typing import NDArray

from maatwerk.web.analysis import services as analysis_services
from maatwerk.web.analysis.forms import EmaLinksForm
from maatwerk.web.analysis.tasks import network_estimate
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import open_patient

VARIABLES: Final = ("pijn", "bang", "vermijden", "moe", "somber")
"""The diary's questions (in Dutch): pain, fear, avoiding, tired, low mood."""

TEMPORAL: Final = np.array(
    # rows = outcome at t, columns = predictor at t − 1 (order of VARIABLES)
    [
        [0.35, 0.25, 0.00, 0.00, 0.00],
        [0.30, 0.30, 0.00, 0.00, 0.00],
        [0.00, 0.30, 0.35, 0.00, 0.00],
        [0.00, 0.00, 0.00, 0.35, 0.00],
        [0.00, 0.00, 0.00, 0.00, 0.30],
    ]
)
PRECISION: Final = np.array(
    [
        [1.0, 0.0, 0.0, -0.4, 0.0],
        [0.0, 1.0, 0.0, 0.0, -0.35],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [-0.4, 0.0, 0.0, 1.0, 0.0],
        [0.0, -0.35, 0.0, 0.0, 1.0],
    ]
)
SEED: Final = 20141028
DAYS: Final = 40
BEEPS_PER_DAY: Final = 6
PATIENT: Final = "Sophie Jansen"
LINKS: Final = {"pijn": "complaint", "bang": "fear_of_movement", "vermijden": "avoidance"}
"""Sophie's diary questions and the boxes of her circle they measure."""
FILE_NAME: Final = "gesimuleerd-dagboek-demo.csv"


def simulated_values(
    days: int = DAYS, beeps: int = BEEPS_PER_DAY, seed: int = SEED
) -> NDArray[np.float64]:
    """(days × beeps) rows of the questions, on a 0–10-like scale (5 ± 1.5 per unit)."""
    rng = np.random.default_rng(seed)
    n = days * beeps
    p = len(VARIABLES)
    noise = rng.multivariate_normal(np.zeros(p), np.linalg.inv(PRECISION), size=n + 100)
    values = np.zeros((n + 100, p))
    for t in range(1, n + 100):
        values[t] = TEMPORAL @ values[t - 1] + noise[t]
    result: NDArray[np.float64] = np.round(5.0 + 1.5 * values[100:], 2)
    return result


def simulated_diary_csv(days: int = DAYS, beeps: int = BEEPS_PER_DAY, seed: int = SEED) -> bytes:
    """The simulated diary as the CSV file a clinician imports: day, beep, the questions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "beep", *VARIABLES])
    for row, numbers in enumerate(simulated_values(days, beeps, seed)):
        writer.writerow([row // beeps + 1, row % beeps + 1, *(f"{v:.2f}" for v in numbers)])
    return buffer.getvalue().encode()


def demo_network_load(*, patients: dict[str, Patient], clinician: Actor) -> None:
    """Import Sophie's simulated diary, link it to her circle and estimate the network
    now (the demo has no worker running yet; the task is idempotent)."""
    patient = patients[PATIENT]
    access = open_patient(actor=clinician, patient_id=str(patient.public_id), action="create")
    analysis_services.ema_import(
        actor=clinician,
        access=access,
        upload=analysis_services.EmaUpload(
            data=simulated_diary_csv(),
            filename=FILE_NAME,
            variables=(),
            day="day",
            beep="beep",
        ),
    )
    rows = {"count": str(len(LINKS))}
    for n, (question, box) in enumerate(LINKS.items()):
        rows |= {f"var-{n}": question, f"node-{n}": box}
    analysis_services.ema_links_save(actor=clinician, access=access, form=EmaLinksForm(rows))
    network_estimate.call(patient.pk)
