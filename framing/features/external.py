"""Deprecated: moved to :mod:`framing.lexicons.external` (this stub goes in the next release)."""

from framing.compat import moved_module

__getattr__ = moved_module(__name__, "framing.lexicons.external")
