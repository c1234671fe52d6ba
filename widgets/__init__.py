"""ipywidgets + matplotlib explorers over core/: thin views, no maths of their own."""
from .base import Explorer

__all__ = ["Explorer"]
