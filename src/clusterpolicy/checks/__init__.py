"""Layer 2, checks: reading the application's fields (``fields``), the types of the form's paths
(``form_types``), the typed values checks compute with (``params``), the check kinds (``kinds/``,
one class per kind owning its protocol), a pack's rule and its load-time check (``rule``), the
results (``results``), and the affiliation count of criteria 1.1 (``affiliation``,
``independent_set``).
"""
