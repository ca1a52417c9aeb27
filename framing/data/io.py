"""Reading corpus files exactly: UTF-8, no newline translation, errors with file names."""

from __future__ import annotations

from pathlib import Path

from framing.data.errors import CorpusFormatError


def read_text(path: str | Path, *, allow_empty: bool = False) -> str:
    """Read a UTF-8 text file exactly as stored.

    The file is opened with ``newline=''`` so ``\\r\\n`` stays two characters,
    and a leading U+FEFF is kept: corpus offsets count both.

    Parameters
    ----------
    path : str or Path
        The file.
    allow_empty : bool, default False
        Accept a file of zero characters.

    Returns
    -------
    str

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    CorpusFormatError
        If the file is not valid UTF-8 (the message gives the line and byte)
        or is empty and ``allow_empty`` is false.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusFormatError(
            path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text and not allow_empty:
        raise CorpusFormatError(path, None, "the file is empty")
    return text


def read_lines(path: str | Path) -> list[tuple[int, str]]:
    """Lines of a UTF-8 table file as ``(line_number, line)`` without the line end.

    Blank lines are skipped; line numbers are 1-based and count them.
    """
    text = read_text(path, allow_empty=True)
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            out.append((number, line))
    return out
