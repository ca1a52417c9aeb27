"""Deprecated: moved to :mod:`framing.lexicons.lexicon` (this stub goes in the next release)."""

from framing.compat import moved_module

__getattr__ = moved_module(__name__, "framing.lexicons.lexicon")
