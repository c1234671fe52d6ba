"""ipywidgets + matplotlib explorers over core/: thin views, no maths of their own.

widgets.present(True) switches the presentation theme on for explorers built afterwards (see widgets.theme).
"""
from .base import Explorer
from .theme import present

__all__ = ["Explorer", "present"]
