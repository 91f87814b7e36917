"""chipclean: clean messy multilingual news text into corpus files.

Public API::

    import chipclean
    result = chipclean.clean_text(text)            # .text .lang .edits .metadata
    cleaner = chipclean.Cleaner(chipclean.Config(zh_script="hans"))
    cleaner.clean_text(text)                       # reusable, picklable
"""

from .config import STAGES, Config, ConfigError
from .document import Change, Document, Edit
from .pipeline import Cleaner, Result, clean_text
from .rulepack import PackError, RuleSet

__version__ = "0.1.0"

__all__ = [
    "STAGES",
    "Change",
    "Cleaner",
    "Config",
    "ConfigError",
    "Document",
    "Edit",
    "PackError",
    "Result",
    "RuleSet",
    "clean_text",
    "__version__",
]
