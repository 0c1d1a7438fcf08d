"""inmail_guide: the docs side of the InMail guide.

The Python-Markdown extension in :mod:`inmail_guide.extension` (registered as ``inmail``)
renders the generated parts of the guide from the checker's own objects: the rules reference,
the scoring page, the plans tables and checked example drafts.
"""

from .errors import GuideError

__all__ = ["GuideError"]
