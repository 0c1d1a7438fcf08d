"""inmail_lab: the labelled corpora, the fit of the checker's numbers, and how it is measured.

Development tooling only: nothing in :mod:`inmail_checker` imports it, and the browser wheel
does not ship it. The scripts in ``scripts/`` are thin command lines over these modules.
"""
