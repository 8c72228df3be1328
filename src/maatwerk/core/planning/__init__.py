"""The personal plan (plain Python, no Django): module matching, decisions, graded
activity, multidisciplinary parts, expected duration and the plan value.

* :mod:`.matching` - ``recommend_modules``: factors -> ranked modules with reasons;
* :mod:`.decisions` - ``apply_decisions``: accept / remove / add, a reason per deviation;
* :mod:`.multidisciplinary` - physiotherapy, EMDR, L-MBT, systeemtherapie (rules as data);
* :mod:`.duration` - expected duration (editorial, unverified);
* :mod:`.graded_activity` - baseline, time-contingent quotas, evaluation of a day;
* :mod:`.plan` - the ``Plan`` value (``maatwerk.core.fhir.care_plan`` exports it);
* :mod:`.content` - the rules file ``content/planning/rules.json``.

The rules are written down in docs/planning/README.md.
"""
