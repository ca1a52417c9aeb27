"""User errors: problems with the user's input or environment, not bugs.

Every command line of the toolkit (``framing ...``, ``framing-experiment``)
reports them the same way: one line ``<command>: error: <message>`` naming
the file, line, config key or resource and the fix, and exit status 2 (or the
error's own ``exit_code``), instead of a traceback. Errors of this kind
subclass :class:`UserError`; a few built-in ones count too (:data:`USER_ERRORS`).
"""

from __future__ import annotations

import sys
from typing import TextIO


class UserError(Exception):
    """A problem the user can fix (bad input, missing resource, unusable config).

    Attributes
    ----------
    exit_code : int
        Exit status of a command that stops on it (2 unless a subclass says otherwise).
    """

    exit_code = 2


#: What the command lines report in one line instead of a traceback: our own
#: errors, and a missing file or folder (the readers' messages name it and the fix).
USER_ERRORS: tuple[type[BaseException], ...] = (UserError, FileNotFoundError, NotADirectoryError)


def exit_code(exc: BaseException) -> int:
    """The exit status for a user error (``exc.exit_code``, else 2)."""
    return int(getattr(exc, "exit_code", 2))


def report(prog: str, exc: BaseException, file: TextIO | None = None) -> int:
    """Print ``<prog>: error: <message>`` and return the exit status to stop with.

    Parameters
    ----------
    prog : str
        The command (``framing``, ``framing-experiment``, ``framing analyze``).
    exc : BaseException
        A user error (see :data:`USER_ERRORS`).
    file : text stream, optional
        Default ``sys.stderr``.

    Returns
    -------
    int
    """
    print(f"{prog}: error: {exc}", file=file or sys.stderr)
    return exit_code(exc)
