"""Lexicons and how they match tokens.

A :class:`Lexicon` maps categories to terms; a term is a tuple of lower-case
tokens as ``NLTKWordTokenizer`` produces them (``("according", "to")``). A token
longer than one character ending in ``*`` matches any token with that prefix,
as LIWC dictionaries do (a lone ``*`` is a literal asterisk). Matching is on
whole tokens, never on substrings: ``"so-called"`` does not fire inside
``"so-calledness"`` unless written ``so-called*``.

:class:`LexiconMatcher` matches each category on its own (leftmost-longest
within a category, overlaps across categories), the one matcher every feature
family uses.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
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


class TokenMemo(dict):
    """``token -> func(token)``, computed on the first look-up and kept.

    Per-token answers (is it a word? which lexicon categories?) are memoised
    this way so that the per-sentence loops of the feature families are
    C-level ``map(memo.__getitem__, tokens)`` calls. At most ``limit`` answers
    are kept (a corpus has far fewer distinct tokens); past that they are
    computed each time. A memo pickles empty: it is rebuilt on use.

    Parameters
    ----------
    func : callable
        A module-level function (or ``functools.partial``) of one hashable key.
    limit : int, default 500_000
        Most keys kept.
    """

    def __init__(self, func, limit: int = 500_000) -> None:
        super().__init__()
        self.func = func
        self.limit = limit

    def __missing__(self, key):
        value = self.func(key)
        if len(self) < self.limit:
            self[key] = value
        return value

    def __reduce__(self):
        return (type(self), (self.func, self.limit))


def is_wildcard(token: str) -> bool:
    """Whether a term token is a LIWC prefix wildcard: longer than one character and ending in ``*``.

    A lone ``*`` is a literal asterisk (Hu & Liu's ``f**k`` is the tokens
    ``f * * k``), never a wildcard.
    """
    return len(token) > 1 and token[-1] == "*"


class LexiconMatcher:
    """Matches of a :class:`Lexicon` in lower-case token sequences, each category on its own.

    The semantics are those of ``framing/lexicons/DATASHEET.md`` (section 2),
    for the project's lexicons and the public ones alike:

    - terms match whole tokens; a term token longer than one character that
      ends in ``*`` is a prefix wildcard (LIWC; Pennebaker et al. 2015), a
      lone ``*`` is a literal asterisk; a phrase may not start with a wildcard;
    - within a category, matches are leftmost-longest and do not overlap;
    - across categories, matches are independent and may overlap, and a term
      listed in two categories counts for both.

    Matching is one left-to-right pass. A memo gives, for each token, what may
    start there: the categories of the token as a one-token term, and the
    phrases beginning with it, indexed by their second token and longest
    first. For each category the pass remembers up to which token a phrase
    has consumed it. Most tokens start nothing, so a sentence costs about one
    dictionary look-up per token.

    Parameters
    ----------
    lexicon : Lexicon
        What to match; category ``k`` of ``lexicon.category_names`` has index ``k``.

    Raises
    ------
    ValueError
        If a phrase starts with a wildcard.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        single: dict[str, set[int]] = {}
        prefixes: dict[str, set[int]] = {}
        phrases: dict[str, dict[tuple[str, ...], set[int]]] = {}
        for index, terms in enumerate(lexicon.categories.values()):
            for term in terms:
                if not term:
                    continue
                if len(term) > 1:
                    if is_wildcard(term[0]):
                        raise ValueError(
                            f"lexicon {lexicon.name}: a phrase cannot start with a wildcard: {' '.join(term)!r}"
                        )
                    phrases.setdefault(term[0], {}).setdefault(term[1:], set()).add(index)
                elif is_wildcard(term[0]):
                    prefixes.setdefault(term[0][:-1], set()).add(index)
                else:
                    single.setdefault(term[0], set()).add(index)
        self._single = {k: tuple(sorted(v)) for k, v in single.items()}
        self._prefixes = {k: tuple(sorted(v)) for k, v in prefixes.items()}
        self._prefix_lengths = tuple(sorted({len(p) for p in prefixes}))
        self._phrases = {first: {tail: tuple(sorted(c)) for tail, c in tails.items()} for first, tails in phrases.items()}
        # For phrase_possible(): a phrase can only match where its first two
        # tokens occur (or its first token, when the second is a wildcard).
        self._phrase_starts = frozenset(phrases)
        self._bigrams = frozenset((first, tail[0]) for first, tails in phrases.items() for tail in tails)
        self._wild_firsts = frozenset(
            first for first, tails in phrases.items() if any(is_wildcard(tail[0]) for tail in tails)
        )
        self._new_memos()

    def _new_memos(self) -> None:
        self._categories = TokenMemo(self._token_categories)
        self._starts = TokenMemo(self._token_starts)

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_categories"], state["_starts"]
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        self._new_memos()

    def __repr__(self) -> str:
        return f"LexiconMatcher({self.lexicon.name!r}, {len(self.lexicon)} terms)"

    @property
    def category_names(self) -> tuple[str, ...]:
        """The lexicon's categories, in index order."""
        return self.lexicon.category_names

    @property
    def phrase_starts(self) -> frozenset[str]:
        """First tokens of the multi-token terms."""
        return self._phrase_starts

    # -- one token
    def _token_categories(self, token: str) -> tuple[int, ...]:
        found = set(self._single.get(token, ()))
        for n in self._prefix_lengths:
            if n > len(token):
                break
            found.update(self._prefixes.get(token[:n], ()))
        return tuple(sorted(found))

    def token_categories(self, token: str) -> tuple[int, ...]:
        """Categories of which ``token`` is a one-token term (exactly or by a wildcard); memoised.

        Parameters
        ----------
        token : str
            A lower-case token.

        Returns
        -------
        tuple of int
            Category indices, ascending; empty when none.
        """
        return self._categories[token]

    def _token_starts(self, token: str) -> tuple:
        """What may start at ``token``: ``(single, by_second, wild_second)``, or ``()`` for nothing.

        ``single``: :meth:`token_categories`; ``by_second``: phrases starting
        with the token keyed by their exact second token, each as ``(n_tokens,
        tokens from the third on, categories)``, longest first; ``wild_second``:
        those whose second token is a wildcard, as ``(stem, n_tokens, rest,
        categories)``.
        """
        single = self._categories[token]
        tails = self._phrases.get(token)
        if not tails:
            return (single, None, ()) if single else ()
        by_second: dict[str, list] = {}
        wild_second: list = []
        for tail, cats in tails.items():
            # the tokens from the third on, each as (text, is a wildcard)
            entry = (1 + len(tail), tuple((p[:-1], True) if is_wildcard(p) else (p, False) for p in tail[1:]), cats)
            if is_wildcard(tail[0]):
                wild_second.append((tail[0][:-1],) + entry)
            else:
                by_second.setdefault(tail[0], []).append(entry)
        for entries in by_second.values():
            entries.sort(key=lambda e: -e[0])
        wild_second.sort(key=lambda e: -e[1])
        return (single, {k: tuple(v) for k, v in by_second.items()} or None, tuple(wild_second))

    # -- a sentence
    def match(self, lower: Sequence[str]) -> list[tuple[int, int, tuple[int, ...]]]:
        """All matches in one lower-cased token sequence.

        Parameters
        ----------
        lower : sequence of str
            Lower-case tokens of one sentence.

        Returns
        -------
        list of (start_token, end_token, category_indices)
            Token range (end exclusive) and the categories matched there, by
            start and then longest first. Ranges of different categories may
            overlap; those of one category never do.
        """
        entries = list(map(self._starts.__getitem__, lower))
        out: list[tuple[int, int, tuple[int, ...]]] = []
        n_tokens = len(entries)
        consumed: dict[int, int] = {}  # category -> first token after its last phrase match
        for i in compress(range(n_tokens), entries):  # positions where something may start
            single, by_second, wild_second = entries[i]
            if (by_second or wild_second) and i + 1 < n_tokens:
                hits = []  # (n_tokens, categories), longest first
                second = lower[i + 1]
                if by_second:
                    for n, rest, cats in by_second.get(second, ()):
                        if i + n <= n_tokens and (not rest or _rest_matches(rest, lower, i + 2)):
                            hits.append((n, cats))
                if wild_second:
                    hits = _add_wildcard_hits(hits, wild_second, lower, i, n_tokens)
                if single:
                    hits.append((1, single))
            elif single:
                hits = ((1, single),)
            else:
                continue
            for n, cats in hits:
                if consumed:
                    cats = tuple(c for c in cats if consumed.get(c, 0) <= i)
                    if not cats:
                        continue
                out.append((i, i + n, cats))
                if n > 1:  # a one-token match cannot block a later start
                    for c in cats:
                        consumed[c] = i + n
        return out

    def phrase_possible(self, lower: Sequence[str]) -> bool:
        """Whether a multi-token term may match: its first two tokens occur together.

        False means every match of the sentence is a one-token match, so the
        counts per category are the sums of :meth:`token_categories` over the
        tokens (families with a per-token fast path use this).
        """
        if self._bigrams.isdisjoint(zip(lower, lower[1:])):
            return bool(self._wild_firsts) and not self._wild_firsts.isdisjoint(lower)
        return True

    def count(self, lower: Sequence[str]) -> list[int]:
        """Matches per category (a phrase counts once) in one token sequence.

        Returns
        -------
        list of int
            One count per category, in index order.
        """
        counts = [0] * len(self.lexicon.categories)
        for _, _, cats in self.match(lower):
            for c in cats:
                counts[c] += 1
        return counts


def _add_wildcard_hits(hits: list, wild_second: tuple, lower: Sequence[str], i: int, n_tokens: int) -> list:
    """``hits`` plus the phrases with a wildcard second token matching at ``i``; longest first, one entry a length."""
    second = lower[i + 1]
    found: dict[int, tuple[int, ...]] = {}
    for n, cats in hits:
        found[n] = tuple(sorted(set(found.get(n, ())) | set(cats)))
    for stem, n, rest, cats in wild_second:
        if second.startswith(stem) and i + n <= n_tokens and _rest_matches(rest, lower, i + 2):
            found[n] = tuple(sorted(set(found.get(n, ())) | set(cats)))
    return sorted(found.items(), key=lambda h: -h[0])


def _rest_matches(rest: tuple[tuple[str, bool], ...], lower: Sequence[str], at: int) -> bool:
    """Whether ``rest`` (``(text, is a prefix wildcard)`` pairs) matches ``lower`` from ``at`` (range checked by the caller)."""
    for k, (text, prefix) in enumerate(rest, start=at):
        if (not lower[k].startswith(text)) if prefix else lower[k] != text:
            return False
    return True


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
