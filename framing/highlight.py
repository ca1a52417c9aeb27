"""Deprecated: moved to :mod:`framing.report.html` (this stub goes in the next release)."""

from framing.compat import moved_module

__getattr__ = moved_module(__name__, "framing.report.html")
