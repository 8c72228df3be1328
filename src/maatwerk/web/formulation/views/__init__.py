"""The formulation's views, one module per part: starting and the overview, the four steps,
the vicious circle and sharing, the patient's own view. Thin views over selectors,
editing (form <-> core) and services.
"""
