"""The organization admin's knowledge pages: overview, readable view, editor, focused
forms, history, download and going back to the bundled version.

Only an organization admin reaches them (``role_required``, an audited denial for every
other role), and only for their own organization: the opener
(:mod:`maatwerk.web.knowledge.opening`) takes it from the actor, never from the URL.
Each view binds its form, calls one audited service and renders a presenter.
"""

from maatwerk.web.knowledge.views.editing import edit, history, restore_bundled
from maatwerk.web.knowledge.views.focused import factor_thresholds, stepped_care_switches
from maatwerk.web.knowledge.views.reading import collection, download, overview

__all__ = [
    "collection",
    "download",
    "edit",
    "factor_thresholds",
    "history",
    "overview",
    "restore_bundled",
    "stepped_care_switches",
]
