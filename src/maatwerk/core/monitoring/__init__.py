"""Monitoring: when ROM questionnaires and daily-life (EMA) prompts fall due, and what
happens to each prompt on its way to the patient.

- :mod:`.clock` - local wall-clock times in a patient's zone to instants, DST-safe;
- :mod:`.ema` - experience-sampling schedules (fixed, semi-random, event-contingent);
- :mod:`.rom` - routine outcome monitoring occasions per instrument;
- :mod:`.delivery` - the delivery state machine of one prompt;
- :mod:`.items` - the EMA item bank (content) and the item set proposed from the
  patient's vicious circle.

Everything here is pure: functions of rules and time, no database, no clock of their own.
"""
