"""Demo diary data: a simulated patient with a known personal network.

The real ESM data sets in the project's shared folder (Bastiaansen et al. 2019;
Kossakowski et al. 2017) have no verified licence to redistribute them inside a product,
so the demo simulates a diary instead: a lag-1 vector autoregression with a fixed seed,
six questions, six moments a day for 40 days. The demo page says that the data are
simulated. The structure is known, so the demo also shows that the estimate finds it:

* from one moment to the next: pain → tiredness, worry → low mood, being active → less
  low mood (each variable also follows itself);
* at the same moment: worry with low mood, pain with tiredness, and being active
  against tiredness.
"""

from __future__ import annotations

import csv
import io
from typing import Final

import numpy as np

VARIABLES: Final = ("somber", "piekeren", "moe", "pijn", "actief", "bewegen")
"""Low mood, worry, tired, pain, active, exercise (the diary's questions, in Dutch)."""

TEMPORAL: Final = np.array(
    # rows = outcome at t, columns = predictor at t − 1 (order of VARIABLES)
    [
        [0.35, 0.30, 0.00, 0.00, -0.25, 0.00],
        [0.00, 0.35, 0.00, 0.00, 0.00, 0.00],
        [0.00, 0.00, 0.35, 0.30, 0.00, 0.00],
        [0.00, 0.00, 0.00, 0.40, 0.00, 0.00],
        [0.00, 0.00, 0.00, 0.00, 0.35, 0.00],
        [0.00, 0.00, 0.00, 0.00, 0.00, 0.30],
    ]
)
PRECISION: Final = np.array(
    [
        [1.0, -0.4, 0.0, 0.0, 0.0, 0.0],
        [-0.4, 1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, -0.4, 0.35, 0.0],
        [0.0, 0.0, -0.4, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.35, 0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    ]
)
SEED: Final = 20141028
DAYS: Final = 40
BEEPS_PER_DAY: Final = 6


def simulated_values(days: int = DAYS, beeps: int = BEEPS_PER_DAY, seed: int = SEED) -> np.ndarray:
    """(days × beeps) rows of the six variables, on a 0–10-like scale (5 ± 1.5 per unit)."""
    rng = np.random.default_rng(seed)
    n = days * beeps
    p = len(VARIABLES)
    noise = rng.multivariate_normal(np.zeros(p), np.linalg.inv(PRECISION), size=n + 100)
    values = np.zeros((n + 100, p))
    for t in range(1, n + 100):
        values[t] = TEMPORAL @ values[t - 1] + noise[t]
    result: np.ndarray = np.round(5.0 + 1.5 * values[100:], 2)
    return result


def simulated_diary_csv(days: int = DAYS, beeps: int = BEEPS_PER_DAY, seed: int = SEED) -> bytes:
    """The simulated diary as the CSV file a clinician imports: day, beep, the questions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "beep", *VARIABLES])
    values = simulated_values(days, beeps, seed)
    for row, numbers in enumerate(values):
        writer.writerow([row // beeps + 1, row % beeps + 1, *(f"{v:.2f}" for v in numbers)])
    return buffer.getvalue().encode()
