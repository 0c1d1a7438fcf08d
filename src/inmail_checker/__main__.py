"""``python -m inmail_checker``: the ``inmail-check`` command."""

import sys

from .cli import main

sys.exit(main())
