"""Screening: the biopsychosocial profile from scores, the patient's priorities and the
clinician's SCEGS exploration; severity and the stepped-care advice (rules as data)."""
