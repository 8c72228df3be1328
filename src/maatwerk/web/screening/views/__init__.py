"""Screening views, one module per part: the patient's screenings and assigning one, the
intake and the SCEGS interview, the profile and the care-level decision, the patient's
summary. Thin views over selectors and services.
"""
