"""Mapping Maatwerk's core objects to and from FHIR R4 resources (JSON dicts).

* :mod:`.questionnaire` - an instrument as a FHIR ``Questionnaire`` and back;
* :mod:`.expressions` - SDC ``calculatedExpression`` (FHIRPath) for plain sum scales;
* :mod:`.response` - answers as a ``QuestionnaireResponse`` and back;
* :mod:`.observation` - scale scores as ``Observation`` resources;
* :mod:`.service_request` - a referral as a ``ServiceRequest``;
* :mod:`.validation` - every resource is checked with ``fhir.resources`` (its R4B
  models; see docs/adr/0005-fhir-r4b-models.md).

The URLs and conventions are in :mod:`.constants`. Every function here is pure: it takes
plain values and returns JSON-ready dicts (str, int, float, bool, list, dict).
"""
