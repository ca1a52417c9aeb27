"""Lexicons and how they match tokens.

A :class:`Lexicon` maps categories to terms; a term is a tuple of lower-case
tokens as ``NLTKWordTokenizer`` produces them (``("according", "to")``). A token
ending in ``*`` matches any token with that prefix, as LIWC dictionaries do.
Matching is on whole tokens, never on substrings: ``"so-called"`` does not
fire inside ``"so-calledness"`` unless written ``so-called*``.

:class:`LexiconMatcher` finds non-overlapping matches in a token sequence,
longest term first at each position.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from framing.resources import package_lexicon_dir


@dataclass(frozen=True)
class Lexicon:
    """Terms by category, with where they come from.

    Parameters
    ----------
    name : str
        Short name used in feature names and cues (``"loaded"``, ``"mpqa"``...).
    categories : mapping of str to tuple of tuple of str
        ``{category: (term, ...)}``, each term a tuple of lower-case tokens.
    source : str
        Citation or file the entries come from.
    """

    name: str
    categories: Mapping[str, tuple[tuple[str, ...], ...]]
    source: str = ""

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(self.categories)

    def __len__(self) -> int:
        return sum(len(terms) for terms in self.categories.values())


def term_tokens(term: str) -> tuple[str, ...]:
    """Split a lexicon term written with spaces into its lower-case tokens."""
    return tuple(term.lower().split())


def read_project_lexicon(name: str, directory: str | Path | None = None) -> Lexicon:
    """Read one of the project's TSV lexicons (``framing/lexicons/<name>.tsv``).

    Format: header ``term<TAB>category``, one entry per line, ``#`` comments.
    See ``framing/lexicons/DATASHEET.md`` for the categories and their sources.

    Parameters
    ----------
    name : str
        File stem: ``"loaded"``, ``"hedging"``, ``"agency"``, ``"frames"``.
    directory : path, optional
        Folder holding the file; default the package's ``framing/lexicons``.

    Returns
    -------
    Lexicon
        Categories in order of first appearance in the file.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If a line has not exactly two tab-separated fields (names file and line).
    """
    path = Path(directory) if directory is not None else package_lexicon_dir()
    path = path / f"{name}.tsv"
    categories: dict[str, list[tuple[str, ...]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2:
                raise ValueError(f"{path}:{number}: expected 2 tab-separated fields, got {len(fields)}")
            term, category = fields
            if number == 1 or (term, category) == ("term", "category"):
                continue
            categories.setdefault(category.strip(), []).append(term_tokens(term))
    return Lexicon(name, {k: tuple(v) for k, v in categories.items()}, source=str(path))


@dataclass
class LexiconMatcher:
    """Fast matching of a :class:`Lexicon` against lower-case token sequences.

    Parameters
    ----------
    lexicon : Lexicon
        What to match; category ``k`` of ``lexicon.category_names`` gets index ``k``.
    """

    lexicon: Lexicon
    _single: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)
    _prefixes: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict, init=False, repr=False)
    _phrases: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _memo: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        single: dict[str, set[int]] = {}
        prefixes: dict[int, dict[str, set[int]]] = {}
        phrases: dict[tuple[str, ...], set[int]] = {}
        for index, terms in enumerate(self.lexicon.categories.values()):
            for term in terms:
                if not term:
                    continue
                if len(term) > 1:
                    phrases.setdefault(term, set()).add(index)
                elif term[0].endswith("*") and len(term[0]) > 1:
                    stem = term[0][:-1]
                    prefixes.setdefault(len(stem), {}).setdefault(stem, set()).add(index)
                else:
                    single.setdefault(term[0], set()).add(index)
        self._single = {k: tuple(sorted(v)) for k, v in single.items()}
        self._prefixes = {
            n: {k: tuple(sorted(v)) for k, v in d.items()} for n, d in sorted(prefixes.items())
        }
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = {}
        for term, cats in phrases.items():
            if term[0].endswith("*"):
                raise ValueError(
                    f"lexicon {self.lexicon.name}: a phrase cannot start with a wildcard: {' '.join(term)!r}"
                )
            by_first.setdefault(term[0], []).append((term, tuple(sorted(cats))))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))  # longest phrase first
        self._phrases = by_first

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_memo"] = {}
        return state

    def _word_categories(self, token: str) -> tuple[int, ...]:
        cats = self._memo.get(token)
        if cats is None:
            found = set(self._single.get(token, ()))
            for n, stems in self._prefixes.items():
                if len(token) >= n:
                    hit = stems.get(token[:n])
                    if hit:
                        found.update(hit)
            cats = tuple(sorted(found))
            if len(self._memo) < 500_000:
                self._memo[token] = cats
        return cats

    def _phrase_at(self, lower: Sequence[str], i: int) -> tuple[int, tuple[int, ...]] | None:
        for term, cats in self._phrases.get(lower[i], ()):
            n = len(term)
            if i + n <= len(lower) and all(
                _token_matches(p, lower[i + k]) for k, p in enumerate(term[1:], start=1)
            ):
                return n, cats
        return None

    def match(self, lower: Sequence[str]) -> list[tuple[int, int, tuple[int, ...]]]:
        """Non-overlapping matches in a lower-cased token sequence.

        At each position the longest phrase wins; single words are matched
        where no phrase starts.

        Parameters
        ----------
        lower : sequence of str
            Lower-case tokens of one sentence.

        Returns
        -------
        list of (start_token, end_token, category_indices)
            Token index range (end exclusive) and the categories it belongs to.
        """
        out = []
        phrases = self._phrases
        i, n = 0, len(lower)
        while i < n:
            token = lower[i]
            if token in phrases:
                hit = self._phrase_at(lower, i)
                if hit is not None:
                    out.append((i, i + hit[0], hit[1]))
                    i += hit[0]
                    continue
            cats = self._word_categories(token)
            if cats:
                out.append((i, i + 1, cats))
            i += 1
        return out

    def count(self, lower: Sequence[str]) -> list[int]:
        """Matches per category (a phrase counts once) for one token sequence."""
        counts = [0] * len(self.lexicon.categories)
        for _, _, cats in self.match(lower):
            for c in cats:
                counts[c] += 1
        return counts


def _token_matches(pattern: str, token: str) -> bool:
    if pattern.endswith("*"):
        return token.startswith(pattern[:-1])
    return token == pattern


def merge_lexicons(name: str, lexicons: Iterable[Lexicon]) -> Lexicon:
    """One lexicon whose categories are ``<lexicon>_<category>`` of the inputs."""
    categories: dict[str, tuple[tuple[str, ...], ...]] = {}
    sources = []
    for lex in lexicons:
        sources.append(lex.source)
        for cat, terms in lex.categories.items():
            categories[f"{lex.name}_{cat}"] = terms
    return Lexicon(name, categories, source="; ".join(sources))


def read_word_list(path: str | Path, comment: str = "#") -> tuple[str, ...]:
    """Lines of a one-entry-per-line word list, without comments and blanks."""
    out = []
    with open(path, encoding="utf-8", errors="strict", newline="") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith(comment):
                out.append(line)
    return tuple(out)


def read_csv_rows(path: str | Path, delimiter: str = ",") -> list[dict[str, str]]:
    """Rows of a CSV with a header, as dictionaries."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))
