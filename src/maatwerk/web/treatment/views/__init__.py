"""The treatment app's views, one module per sub-domain: the patient's modules and
exercises, messages, the clinician's inbox and review, partners and parents. Each view
binds its form, opens the patient's object with the opener, calls one service and
renders.
"""
