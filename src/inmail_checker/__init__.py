"""inmail_checker: score a LinkedIn InMail draft for pitch, bulk, follow-up, scam and form problems.

>>> from inmail_checker import check
>>> report = check("Hi Ana, I read your talk on ...", subject="Question about your talk")
>>> report.verdict in ("looks-genuine", "needs-work", "likely-spam")
True
"""

from .config import Config, ConfigError
from .engine import check
from .registry import ALL_RULES, RULES, RULES_BY_ID, Rule, RuleError
from .report import SCHEMA_VERSION, Finding, Report, Span, Stats, Strength
from .ruleset import RuleSet

__all__ = [
    "ALL_RULES",
    "RULES",
    "RULES_BY_ID",
    "SCHEMA_VERSION",
    "Config",
    "ConfigError",
    "Finding",
    "Report",
    "Rule",
    "RuleError",
    "RuleSet",
    "Span",
    "Stats",
    "Strength",
    "check",
]
__version__ = "0.1.0"
