"""Connotation frames of power and agency (Sap et al. 2017): verbs with agency and power labels.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from framing.lexicons.inflection import third_person_to_base
from framing.lexicons.locate import file_cached, lexicon_file

# --------------------------------------------------------------------------- Sap et al. 2017

SAP2017_FILE = "sap2017_agency_power/agency_power.csv"
SAP_AGENCY = ("agency_pos", "agency_neg", "agency_equal")
SAP_POWER = ("power_agent", "power_theme", "power_equal")


@dataclass(frozen=True)
class SapLexicon:
    """Connotation frames of agency and power (Sap et al. 2017), keyed by verb base form.

    Parameters
    ----------
    verbs : dict
        ``{base: (agency, power)}``; labels as in the file (``"agency_pos"``,
        ``"power_agent"`` ...), ``""`` when the verb has none.
    phrases : dict
        ``{base: ((following_words, (agency, power)), ...)}`` for the 65 entries
        with a particle or preposition (``"focuses on"``, ``"sidles up to"``),
        longest first.
    source : str
        The file read.
    """

    verbs: dict[str, tuple[str, str]]
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, str]], ...]]
    source: str

    def __len__(self) -> int:
        return len(self.verbs) + sum(len(entries) for entries in self.phrases.values())


def read_sap_lexicon(path: str | Path) -> SapLexicon:
    """Read ``agency_power.csv`` of Sap et al. (2017) (the original release, 3rd-person forms).

    Format: header ``verb,agency,power``; the verb in the 3rd person singular
    (``"abandons"``, ``"focuses on"``), agency one of agency_pos / agency_neg /
    agency_equal / empty, power one of power_agent / power_theme / power_equal /
    empty. Verbs are mapped to base forms with
    :func:`~framing.lexicons.inflection.third_person_to_base`; rows that map to
    the same verb (``gos``/``goes``, ``echos``/``echoes``: the release gives
    each half of the labels) are merged, so the 2155 rows give 2149 entries.

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Returns
    -------
    SapLexicon

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For a wrong header, a row without three fields or an unknown label,
        naming the file and line.

    References
    ----------
    Maarten Sap, Marcella Cindy Prasettio, Ari Holtzman, Hannah Rashkin, Yejin Choi.
    2017. Connotation Frames of Power and Agency in Modern Films. EMNLP 2017.
    Distributed with Riveter (``maartensap/riveter-nlp``, GPL-3.0); never bundled.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Sap et al. (2017) lexicon file {path} not found")
    return _read_sap(path)


@file_cached
def _read_sap(path: Path) -> SapLexicon:
    verbs: dict[str, tuple[str, str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[str, str]]]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            if number == 1:
                if [c.strip().lower() for c in row] != ["verb", "agency", "power"]:
                    raise ValueError(f"{path}:1: expected header verb,agency,power, got {row}")
                continue
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise ValueError(f"{path}:{number}: expected 3 fields (verb,agency,power), got {len(row)}")
            verb, agency, power = (c.strip() for c in row)
            if agency not in SAP_AGENCY + ("",) or power not in SAP_POWER + ("",):
                raise ValueError(f"{path}:{number}: unknown label in {row}")
            words = verb.lower().split()
            if not words:
                raise ValueError(f"{path}:{number}: empty verb")
            base = third_person_to_base(words[0])
            if len(words) > 1:
                phrases.setdefault(base, []).append((tuple(words[1:]), (agency, power)))
            elif base in verbs:
                # The release splits six -o verbs over two rows, one label each
                # ("gos" has the agency, "goes" the power): merge them.
                old = verbs[base]
                verbs[base] = (old[0] or agency, old[1] or power)
            else:
                verbs[base] = (agency, power)
    ordered = {b: tuple(sorted(v, key=lambda e: -len(e[0]))) for b, v in phrases.items()}
    return SapLexicon(verbs, ordered, str(path))


def load_sap2017(lexicon_dir: str | Path | None = None) -> SapLexicon:
    """Sap et al.'s (2017) agency and power connotation frames: 2149 verbs.

    Reads ``<lexicon_dir>/sap2017_agency_power/agency_power.csv`` with
    :func:`read_sap_lexicon`.

    Parameters
    ----------
    lexicon_dir : str or Path or None
        Folder of the external lexicons; ``None``: ``$FRAMING_LEXICONS``.

    Returns
    -------
    SapLexicon

    Raises
    ------
    FileNotFoundError
        If the folder or the file is missing.
    ValueError
        See :func:`read_sap_lexicon`.
    """
    return read_sap_lexicon(lexicon_file(SAP2017_FILE, lexicon_dir))
