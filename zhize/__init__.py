"""zhize (职责): who leads, who supports each task in Chinese government documents.

``zhize.open_store()`` is the Python entry point (docs/API.md); the command line is ``zhize``.
"""
from zhize.api import open_store

__version__ = "0.1.0"

__all__ = ["open_store", "__version__"]
