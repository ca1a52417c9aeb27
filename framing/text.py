"""Sentence segmentation with exact offsets, and token/POS/sentiment annotation.

Segmentation never alters the text: each :class:`~framing.data.model.Sentence`
satisfies ``text[s.start:s.end] == s.text``. Annotation runs NLTK once per
distinct sentence (``NLTKWordTokenizer`` with character offsets, the averaged
perceptron tagger, VADER) and keeps the result in memory and in an on-disk
cache keyed by the sentence's content, so a sweep of many configurations
annotates a corpus once (see :class:`AnnotationCache`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sqlite3
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from framing.data.model import Sentence
from framing.resources import cache_dir, connect_cache, nltk_resource

#: Bump when the annotation's content changes, so old caches are not reused.
ANNOTATION_VERSION = 5

#: Invisible format characters: the byte-order mark / zero-width no-break space U+FEFF (found
#: at line starts in PTC and SemEval-2020 files), zero-width space, (non-)joiners and word
#: joiner, the soft hyphen, the Mongolian vowel separator, bidirectional marks and controls,
#: and the invisible mathematical operators. Annotation reads the text without them, so none
#: hides a word from the lexicons; every offset still indexes the original text.
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")

SegmentMode = Literal["lines", "punkt", "paragraphs"]

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


# --------------------------------------------------------------------------- segmentation


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_bounds(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in re.finditer("\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _paragraph_bounds(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _BLANK_LINE.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


@cache
def _punkt():
    from nltk.tokenize import PunktTokenizer

    nltk_resource("punkt_tab")
    return PunktTokenizer("english")


# The segmentations of the last few documents, by (mode, text): ``framing analyze``
# segments articles in a forked process while it loads its models and hands the
# result over (:func:`remember_segmentation`), so this process never loads Punkt.
_SEGMENTED: OrderedDict[tuple[str, str], tuple[Sentence, ...]] = OrderedDict()
_SEGMENTED_SIZE = 64


def remember_segmentation(text: str, mode: SegmentMode, offsets: Sequence[tuple[int, int]]) -> None:
    """Record the sentences :func:`segment` gives ``text`` (computed elsewhere, e.g. in another process).

    Parameters
    ----------
    text : str
    mode : {"punkt", "lines", "paragraphs"}
    offsets : sequence of (int, int)
        ``(start, end)`` of each sentence, as ``segment(text, mode)`` returns them.
    """
    _SEGMENTED[mode, text] = tuple(Sentence(a, b, text[a:b]) for a, b in offsets)
    while len(_SEGMENTED) > _SEGMENTED_SIZE:
        _SEGMENTED.popitem(last=False)


def segment(text: str, mode: SegmentMode = "punkt") -> list[Sentence]:
    """Split a document into sentences with exact character offsets.

    Parameters
    ----------
    text : str
        The document, exactly as read.
    mode : {"punkt", "lines", "paragraphs"}, default "punkt"
        ``"lines"``: one sentence per non-blank line, the layout of PTC and
        SemEval-2020 articles (and NLP4IF-2019's sentence units).
        ``"punkt"``: NLTK Punkt within each non-blank line, for raw news text
        with one paragraph per line. ``"paragraphs"``: Punkt within blocks
        separated by blank lines, for hard-wrapped text.

    Returns
    -------
    list of Sentence
        In text order, unlabelled, trimmed of surrounding whitespace, never
        empty; ``text[s.start:s.end] == s.text`` for each.

    Raises
    ------
    ValueError
        For an unknown ``mode``.
    framing.resources.MissingResourceError
        If Punkt (``punkt_tab``) is needed and not installed.
    """
    known = _SEGMENTED.get((mode, text))
    if known is not None:
        return list(known)
    if mode == "lines":
        blocks, split = _line_bounds(text), False
    elif mode == "punkt":
        blocks, split = _line_bounds(text), True
    elif mode == "paragraphs":
        blocks, split = _paragraph_bounds(text), True
    else:
        raise ValueError(f"unknown segmentation mode {mode!r}; use lines, punkt or paragraphs")
    sentences = []
    for block_start, block_end in blocks:
        start, end = _trimmed(text, block_start, block_end)
        if start == end:
            continue
        if not split:
            pieces = [(start, end)]
        else:
            block = text[start:end]
            pieces = [(start + a, start + b) for a, b in _punkt().span_tokenize(block)]
        for a, b in pieces:
            a, b = _trimmed(text, a, b)
            if a < b:
                sentences.append(Sentence(a, b, text[a:b]))
    return sentences


# --------------------------------------------------------------------------- annotation


@dataclass(frozen=True, slots=True)
class Annotation:
    """Tokens, POS tags and sentiment of one sentence.

    Parameters
    ----------
    tokens : tuple of str
        Tokens as they appear in the text (``NLTKWordTokenizer``, Penn
        Treebank conventions: ``can't`` -> ``ca``, ``n't``): ``text[a:b]``
        for each offset pair, so an invisible character (:data:`INVISIBLE`)
        inside a word stays in its token.
    offsets : tuple of (int, int)
        Character offsets of each token in the sentence text, end exclusive.
        Invisible characters at a token's edges are outside it (the token of
        ``"\\ufeffdisgraceful"`` is ``(1, 12)``); a sentence of invisible
        characters only has no tokens.
    tags : tuple of str
        Penn Treebank POS tags (NLTK averaged perceptron tagger, ``eng``).
    sentiment : tuple of float
        VADER scores of the sentence: ``(neg, neu, pos, compound)``
        (Hutto & Gilbert 2014); proportions in [0, 1] and compound in [-1, 1].
    lower : tuple of str
        ``tokens`` lower-cased, invisible characters removed: the form every
        lexicon family matches on (stored).
    """

    tokens: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]
    tags: tuple[str, ...]
    sentiment: tuple[float, float, float, float]
    lower: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.tokens)


_QUOTES = re.compile(r"``|'{2}|\"")
# Typographic quotes the tagger never saw in the Penn Treebank: tag them as PTB quotes.
_PTB_QUOTES = {"\u201c": "``", "\u201e": "``", "\u00ab": "``", "\u201d": "''", "\u00bb": "''", "\u2018": "`"}


def _perceptron_tagger():
    """NLTK's English perceptron tagger, its parameters unpickled from the cache when it has them.

    NLTK parses its three JSON files in about 0.2 s; the same parameters unpickle in about
    0.05 s, which is most of what a fresh ``framing analyze`` process waits for. The pickle is
    keyed by the JSON files' folder, sizes and modification times and NLTK's version, so an
    updated model is read from JSON again. Without a cache folder, NLTK's own loading is used.
    """
    import nltk
    from nltk.tag import PerceptronTagger

    folder = cache_dir()
    try:
        found = nltk.data.find("taggers/averaged_perceptron_tagger_eng/")
        location = Path(found.path)
        stamp = sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in location.glob("*.json"))
    except (LookupError, AttributeError, OSError):  # not found, or inside a zip: NLTK's way
        folder = None
    if folder is None or not stamp:
        return PerceptronTagger(lang="eng")
    key = hashlib.sha1(repr((str(location), stamp, nltk.__version__)).encode()).hexdigest()[:16]
    path = folder / f"perceptron-eng-{key}.pickle"
    tagger = PerceptronTagger(load=False, lang="eng")
    try:
        with open(path, "rb") as fh:
            tagger.decode_json_params(pickle.load(fh))
        return tagger
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        pass
    tagger = PerceptronTagger(lang="eng")
    params = (tagger.model.weights, tagger.tagdict, sorted(tagger.classes))
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            pickle.dump(params, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError:
        tmp.unlink(missing_ok=True)
    return tagger


class VectorizedTagger:
    """NLTK's averaged perceptron tagger with its dot product done by numpy.

    Same model (``averaged_perceptron_tagger_eng``), same features
    (``PerceptronTagger._get_features``), same tag dictionary and the same
    greedy left-to-right decoding with NLTK's tie-break (highest score, then
    the alphabetically largest tag); only the per-token sum of feature weights
    is vectorised, which makes tagging about 2.5 times faster. It is checked
    against ``PerceptronTagger.tag`` when built and in the tests (identical
    tags on all 16,673 PTC-2020 train sentences); if NLTK's internals ever
    differ from what it expects, it falls back to ``PerceptronTagger.tag``.
    """

    _CHECK = (
        ["Mistakes", "were", "made", "by", "the", "officials", "."],
        ["The", "protesters", "were", "shot", "by", "police", "in", "Kyiv", "on", "Friday", "."],
        ["``", "It", "'s", "a", "disgrace", "!", "''", "she", "said", ",", "quoting", "1,200", "e-mails", "."],
    )

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self.nltk = _perceptron_tagger()
        self.fast = False
        try:
            model = self.nltk.model
            # ties go to the largest label: order classes descending so argmax's first hit is it
            self.classes = sorted(model.classes, reverse=True)
            self._index = {c: i for i, c in enumerate(self.classes)}
            self._model_weights = model.weights
            self.weights = {}  # feature -> (class indices, weights), converted on first use
            self.fast = all(self._tag_fast(list(s)) == self.nltk.tag(list(s)) for s in self._CHECK)
        except Exception:  # NLTK internals changed: use NLTK's own loop
            self.fast = False

    def _convert(self, feat: str):
        np = self._np
        items = [(self._index[c], w) for c, w in self._model_weights.get(feat, {}).items() if w]
        if not items:
            return None
        return (
            np.fromiter((i for i, _ in items), dtype=np.intp, count=len(items)),
            np.fromiter((w for _, w in items), dtype=float, count=len(items)),
        )

    def _predict(self, features) -> str:
        np = self._np
        idx, val = [], []
        weights = self.weights
        for feat, value in features.items():
            entry = weights.get(feat, False)
            if entry is False:
                entry = weights[feat] = self._convert(feat)
            if entry is not None and value:
                idx.append(entry[0])
                val.append(entry[1] * value if value != 1 else entry[1])
        if not idx:
            return self.classes[0]
        scores = np.bincount(np.concatenate(idx), np.concatenate(val), minlength=len(self.classes))
        return self.classes[int(scores.argmax())]

    def _tag_fast(self, tokens: list[str]) -> list[tuple[str, str]]:
        tagger = self.nltk
        prev, prev2 = tagger.START
        context = tagger.START + [tagger.normalize(w) for w in tokens] + tagger.END
        output = []
        for i, word in enumerate(tokens):
            tag = tagger.tagdict.get(word)
            if not tag:
                tag = self._predict(tagger._get_features(i, word, context, prev, prev2))
            output.append((word, tag))
            prev2, prev = prev, tag
        return output

    def tag(self, tokens: list[str]) -> list[tuple[str, str]]:
        """``[(token, tag), ...]`` exactly as ``PerceptronTagger.tag`` returns."""
        return self._tag_fast(tokens) if self.fast else self.nltk.tag(tokens)


class _Annotator:
    """NLTK models, loaded once per process."""

    def __init__(self) -> None:
        from nltk.sentiment.vader import SentimentIntensityAnalyzer
        from nltk.tokenize import NLTKWordTokenizer

        nltk_resource("averaged_perceptron_tagger_eng")
        vader_path = nltk_resource("vader_lexicon")
        self.tokenizer = NLTKWordTokenizer()
        self.tagger = VectorizedTagger()
        self.vader = SentimentIntensityAnalyzer(lexicon_file=_vader_url(vader_path))

    def __call__(self, original: str) -> Annotation:
        from nltk.tokenize.util import align_tokens

        # Tokenise, tag and score the visible text: an invisible character glued to a word
        # ("\ufeffdisgraceful") would make it a word no lexicon, tagger or VADER knows.
        # `kept` maps each visible character back to its offset in the original.
        if _INVISIBLE_RE.search(original):
            kept = [i for i, ch in enumerate(original) if ch not in INVISIBLE]
            visible = "".join(original[i] for i in kept)
        else:
            kept, visible = None, original
        # NLTKWordTokenizer splits curly-apostrophe contractions ("he’s" -> he, ’, s)
        # and the tagger then mis-tags them; tokenise a copy with straight
        # apostrophes. The replacement keeps every offset, and the tokens are
        # cut from the original text below.
        text = visible.replace("\u2019", "'")
        ptb_tokens = self.tokenizer.tokenize(text)
        # As NLTKWordTokenizer.span_tokenize does: the tokenizer rewrites double
        # quotes as `` and '', so put the original characters back to align.
        if '"' in text or "''" in text:
            quotes = [m.group() for m in _QUOTES.finditer(text)]
            surface = [
                quotes.pop(0) if tok in ('"', "``", "''") and quotes else tok for tok in ptb_tokens
            ]
        else:
            surface = ptb_tokens
        try:
            offsets = tuple(align_tokens(surface, text))
        except ValueError:
            offsets, surface, ptb_tokens = _align_leniently(surface, ptb_tokens, text)
        tagged_as = [_PTB_QUOTES.get(t, t) for t in ptb_tokens]
        tags = tuple(tag for _, tag in self.tagger.tag(tagged_as)) if tagged_as else ()
        scores = self.vader.polarity_scores(visible)
        lower = tuple(visible[a:b].lower() for a, b in offsets)
        if kept is not None:
            offsets = tuple((kept[a], kept[b - 1] + 1) for a, b in offsets)
        return Annotation(
            tokens=tuple(original[a:b] for a, b in offsets),
            offsets=offsets,
            tags=tags,
            sentiment=(scores["neg"], scores["neu"], scores["pos"], scores["compound"]),
            lower=lower,
        )


def _vader_url(path: str) -> str:
    # SentimentIntensityAnalyzer takes an nltk.data URL; find() gives a path
    # (for a zip, a ZipFilePathPointer whose str is "<zip>/<member>").
    if path.endswith(".zip"):
        return "sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt"
    return "file:" + path


def _align_leniently(surface, ptb_tokens, text):
    """Align what can be aligned; drop tokens the text does not contain."""
    offsets, kept_surface, kept_ptb, point = [], [], [], 0
    for tok, ptb in zip(surface, ptb_tokens):
        where = text.find(tok, point)
        if where < 0:
            continue
        offsets.append((where, where + len(tok)))
        kept_surface.append(tok)
        kept_ptb.append(ptb)
        point = where + len(tok)
    return tuple(offsets), kept_surface, kept_ptb


_process_annotator: _Annotator | None = None


def _annotate_chunk(texts: Sequence[str]) -> list[Annotation]:
    global _process_annotator
    if _process_annotator is None:
        _process_annotator = _Annotator()
    return [_process_annotator(t) for t in texts]


def _parallel_chunks(chunks: list[list[str]], n_jobs: int):
    """Annotate chunks in worker processes, yielding results in order.

    On Linux the workers are forked after this process has loaded the NLTK
    models, so they start at once instead of importing and loading them
    again (about 1.5 s each); elsewhere joblib's default backend is used.
    """
    if sys.platform.startswith("linux"):
        import multiprocessing

        _annotate_chunk([])  # load the models before forking
        with multiprocessing.get_context("fork").Pool(n_jobs) as pool:
            yield from pool.imap(_annotate_chunk, chunks)
        return
    from joblib import Parallel, delayed

    yield from Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_annotate_chunk)(c) for c in chunks)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class AnnotationCache:
    """Annotations of sentences, in memory and on disk, keyed by content.

    The memory layer is keyed by the sentence itself (Python caches a
    string's hash, so repeated look-ups are cheap); the disk layer is one SQLite file (``annotations-v<N>.sqlite`` in
    :func:`framing.resources.cache_dir`) mapping ``sha1(sentence)`` to the
    pickled :class:`Annotation`; processes of a parallel sweep share it.

    Parameters
    ----------
    directory : Path or None
        Where the SQLite file lives; ``None``: memory only.
    n_jobs : int, default -1
        Worker processes for annotating misses (-1: all cores). Batches under
        ``parallel_threshold`` sentences are annotated in this process.
    progress : bool, default True
        Show a tqdm progress bar for large batches (only when stderr is a terminal).
    """

    parallel_threshold = 1500

    def __init__(self, directory: Path | None, n_jobs: int = -1, progress: bool = True) -> None:
        self.directory = directory
        self.n_jobs = n_jobs
        self.progress = progress
        self._memory: dict[str, Annotation] = {}
        self._lock = threading.Lock()
        # The last batch and its annotations: the families of one ColumnTransformer
        # transform the same texts one after another, and the second asks for an equal
        # list (compared element by element, cheap for the same str objects).
        self._last: tuple[list[str], list[Annotation]] | None = None

    # -- disk layer
    def _connect(self) -> sqlite3.Connection | None:
        if self.directory is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"annotations-v{ANNOTATION_VERSION}.sqlite"
        con = connect_cache(path)
        con.execute("CREATE TABLE IF NOT EXISTS ann (key TEXT PRIMARY KEY, value BLOB)")
        return con

    def _read_disk(self, keys: list[str]) -> dict[str, Annotation]:
        con = self._connect()
        if con is None or not keys:
            return {}
        found = {}
        try:
            for i in range(0, len(keys), 900):
                chunk = keys[i : i + 900]
                marks = ",".join("?" * len(chunk))
                for key, blob in con.execute(
                    f"SELECT key, value FROM ann WHERE key IN ({marks})", chunk
                ):
                    found[key] = pickle.loads(blob)
        finally:
            con.close()
        return found

    def _write_disk(self, items: dict[str, Annotation]) -> None:
        con = self._connect()
        if con is None or not items:
            return
        try:
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO ann (key, value) VALUES (?, ?)",
                    [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()],
                )
        finally:
            con.close()

    # -- public
    def annotate(self, texts: Sequence[str]) -> list[Annotation]:
        """Annotations of ``texts`` (same order), computing only the misses.

        Parameters
        ----------
        texts : sequence of str of length n_samples

        Returns
        -------
        list of Annotation of length n_samples
            The same list object for a batch equal to the previous one: do not modify it.
        """
        last = self._last
        if last is not None and last[0] == texts:
            return last[1]
        memory = self._memory
        missing = {t for t in texts if t not in memory}
        if missing:
            keyed = {_key(t): t for t in missing}
            from_disk = self._read_disk(list(keyed))
            todo = [t for k, t in keyed.items() if k not in from_disk]
            computed = dict(zip(todo, self._compute(todo))) if todo else {}
            self._write_disk({_key(t): a for t, a in computed.items()})
            with self._lock:
                memory.update((keyed[k], a) for k, a in from_disk.items())
                memory.update(computed)
        found = [memory[t] for t in texts]
        self._last = (list(texts), found)
        return found

    def _compute(self, texts: list[str]) -> list[Annotation]:
        if not texts:
            return []
        n_jobs = self.n_jobs if self.n_jobs > 0 else (os.cpu_count() or 1)
        bar = None
        # a bar only on a terminal: redirected to a log, its redraws would be lines of noise
        if self.progress and len(texts) >= self.parallel_threshold and on_terminal():
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="annotating sentences", unit="sent", leave=False)
        try:
            if n_jobs == 1 or len(texts) < self.parallel_threshold:
                out = []
                for i in range(0, len(texts), 500):
                    out.extend(_annotate_chunk(texts[i : i + 500]))
                    if bar is not None:
                        bar.update(min(500, len(texts) - i))
                return out
            size = max(200, len(texts) // (n_jobs * 8) + 1)
            chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
            out = []
            for chunk_result in _parallel_chunks(chunks, n_jobs):
                out.extend(chunk_result)
                if bar is not None:
                    bar.update(len(chunk_result))
            return out
        finally:
            if bar is not None:
                bar.close()

    def forget_batch(self) -> None:
        """Drop the remembered last batch (the memory and disk layers stay).

        For benchmarks that time a transform including its annotation look-up.
        """
        self._last = None

    def clear_memory(self) -> None:
        """Forget the in-memory layer and the last batch (the disk cache stays)."""
        with self._lock:
            self._memory.clear()
            self._last = None


# The annotation cache of this process: the one from $FRAMING_CACHE, or the one
# `annotation_cache` installs for the length of a block.
_env_cache: AnnotationCache | None = None
_scoped_cache: AnnotationCache | None = None


def default_cache() -> AnnotationCache:
    """The cache :func:`annotate` uses: the one :func:`annotation_cache` installed, else the
    process-wide cache in ``$FRAMING_CACHE/annotations`` (memory only with ``FRAMING_CACHE=off``)."""
    global _env_cache
    if _scoped_cache is not None:
        return _scoped_cache
    directory = cache_dir()
    directory = directory / "annotations" if directory is not None else None
    if _env_cache is None or _env_cache.directory != directory:
        _env_cache = AnnotationCache(directory)
    return _env_cache


def on_terminal() -> bool:
    """Whether stderr (where tqdm draws) is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


@contextmanager
def annotation_cache(directory: str | Path | None = None, n_jobs: int = -1, progress: bool = True):
    """Use a fresh :class:`AnnotationCache` for :func:`annotate` within a ``with`` block.

    For tests and notebooks that want annotation state of their own (a cold
    cache, a separate folder) without touching ``$FRAMING_CACHE``::

        with annotation_cache() as cache:        # memory only
            features.transform(texts)

    Parameters
    ----------
    directory : str or Path or None, default None
        Folder of the SQLite file; ``None``: memory only.
    n_jobs, progress
        As :class:`AnnotationCache`.

    Yields
    ------
    AnnotationCache
    """
    global _scoped_cache
    previous = _scoped_cache
    _scoped_cache = AnnotationCache(Path(directory) if directory is not None else None, n_jobs, progress)
    try:
        yield _scoped_cache
    finally:
        _scoped_cache = previous


def forget_annotations() -> None:
    """Drop the last batch the current cache remembers (:meth:`AnnotationCache.forget_batch`)."""
    default_cache().forget_batch()


def annotate(texts: Sequence[str]) -> list[Annotation]:
    """Annotate sentences through the current :class:`AnnotationCache` (:func:`default_cache`).

    Parameters
    ----------
    texts : sequence of str of length n_samples
        Sentences (any short text).

    Returns
    -------
    list of Annotation of length n_samples

    Raises
    ------
    framing.resources.MissingResourceError
        If the NLTK tagger or VADER lexicon is not installed.
    """
    return default_cache().annotate(texts)
