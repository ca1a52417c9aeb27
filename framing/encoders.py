"""Pre-trained sentence encoders: find the model, embed texts, cache the embeddings.

The embedding feature families (:mod:`framing.features.embeddings`) call
:func:`get_encoder` and :meth:`Encoder.encode`. The encoder underneath is a
`sentence-transformers <https://www.sbert.net>`_ model (PyTorch), installed
with the optional extra ``embeddings`` (``pip install -e ".[embeddings]"``;
``make`` installs it).

Finding the model (:func:`resolve_model`), first match wins:

1. the configured value is a folder: that folder;
2. ``$FRAMING_MODELS/<last part of the name>`` (``$FRAMING_MODELS/all-MiniLM-L6-v2``
   for ``sentence-transformers/all-MiniLM-L6-v2``);
3. the Hugging Face cache (``~/.cache/huggingface/hub``), read without network.

Nothing is downloaded at run time: a model found nowhere raises
:class:`MissingModelError`, which says how to provide it.

Embeddings are cached like the annotations of :mod:`framing.text`: in memory
and in one SQLite file (``embeddings-v<N>.sqlite`` in
:func:`framing.resources.cache_dir`, ``$FRAMING_CACHE``), keyed by the
model's identity (a checksum of its weights and its ``max_seq_length``) and
``sha1(text)``, so a sweep embeds a corpus once and two models never share
vectors.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from framing.errors import UserError
from framing.resources import cache_dir, connect_cache
from framing.text import on_terminal

#: The default encoder: all-MiniLM-L6-v2 (Reimers & Gurevych 2019; 384 dimensions, 22M parameters).
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"

#: The optional extra that installs the encoder library.
EXTRA = "embeddings"

#: Bump when how vectors are computed changes, so old caches are not reused.
EMBEDDING_VERSION = 1

#: The weight files whose checksum identifies a model.
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "0_StaticEmbedding/model.safetensors")


class MissingExtraError(UserError, ImportError):
    """The encoder library (sentence-transformers, torch) is not installed; the message names the extra."""


class MissingModelError(UserError):
    """The encoder model is neither a folder, nor in ``$FRAMING_MODELS``, nor in the Hugging Face cache."""


def require_extra():
    """The ``sentence_transformers`` module.

    Raises
    ------
    MissingExtraError
        When it (or torch) cannot be imported.
    """
    try:
        import sentence_transformers
    except ImportError as exc:
        raise MissingExtraError(
            f"embedding features need the optional extra '{EXTRA}' ({exc.name or exc} is missing): "
            f"pip install torch==2.13.0 'framing[{EXTRA}]' (in a clone: pip install -e \".[{EXTRA}]\", or make setup)"
        ) from None
    return sentence_transformers


def _hub_cache_snapshot(name: str) -> Path | None:
    """The newest local snapshot of hub model ``name`` in the Hugging Face cache (no network)."""
    if "/" not in name:
        return None
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    try:
        return Path(snapshot_download(name, local_files_only=True))
    except Exception:  # not cached (LocalEntryNotFoundError, ...): the caller reports it
        return None


def resolve_model(model: str | os.PathLike) -> Path:
    """The local folder of an encoder model given by folder or hub name.

    Parameters
    ----------
    model : str or path
        A folder of a sentence-transformers model, or a hub name such as
        ``sentence-transformers/all-MiniLM-L6-v2``.

    Returns
    -------
    Path
        An existing folder.

    Raises
    ------
    MissingModelError
        When the model is found nowhere (see the module docstring for the order).
    """
    text = os.fspath(model)
    folder = Path(text).expanduser()
    if folder.is_dir():
        return folder.resolve()
    models = os.environ.get("FRAMING_MODELS")
    name = text.rstrip("/").rsplit("/", 1)[-1]
    if models and (Path(models).expanduser() / name).is_dir():
        return (Path(models).expanduser() / name).resolve()
    snapshot = _hub_cache_snapshot(text)
    if snapshot is not None:
        return snapshot
    where = f"$FRAMING_MODELS/{name} ({Path(models) / name} does not exist)" if models else \
        "$FRAMING_MODELS (not set)"
    raise MissingModelError(
        f"encoder model {text!r} not found: not a folder, not in {where}, not in the Hugging Face cache; "
        f"put a copy in $FRAMING_MODELS/{name} (e.g. huggingface-cli download {text} --local-dir "
        f"$FRAMING_MODELS/{name}) or set the feature's model: to its folder"
    )


def model_checksum(folder: Path) -> str:
    """sha1 of the model's weight file (the first of :data:`_WEIGHT_FILES` present), else of its file listing."""
    digest = hashlib.sha1()
    for relative in _WEIGHT_FILES:
        path = folder / relative
        if path.is_file():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(folder)}:{path.stat().st_size}".encode())
    return digest.hexdigest()


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


class Encoder:
    """One sentence-transformers model with its embedding cache.

    Use :func:`get_encoder` (one instance per model, device and length in a
    process) rather than this class directly.

    Parameters
    ----------
    folder : Path
        The model's folder (:func:`resolve_model`).
    name : str
        The configured model name, for messages and model cards.
    device : str, default "cpu"
        ``cpu``, ``cuda``, ``cuda:1``, ``mps``.
    batch_size : int, default 64
    max_seq_length : int, optional
        Word pieces per text before truncation; default: the model's own (256 for all-MiniLM-L6-v2).
    progress : bool, default True
        A tqdm progress bar while embedding 256 texts or more.
    cache : Path or None, default: ``cache_dir()``
        Folder of the SQLite cache; None: memory only.

    Attributes
    ----------
    identity : str
        ``sha1(weights)`` and the max sequence length: the cache key's model part.
    dimension : int
        The embedding size.
    """

    progress_threshold = 256

    def __init__(self, folder: Path, name: str, device: str = "cpu", batch_size: int = 64,
                 max_seq_length: int | None = None, progress: bool = True, cache: Path | None = None) -> None:
        st = require_extra()
        self.folder = folder
        self.name = name
        self.device = device
        self.batch_size = batch_size
        self.progress = progress
        self.model = st.SentenceTransformer(str(folder), device=device, local_files_only=True)
        if max_seq_length is not None:
            try:
                self.model.max_seq_length = int(max_seq_length)
            except AttributeError:  # e.g. static word embeddings: no truncation to set
                raise ValueError(f"encoder model {name!r} has no max_seq_length to set; leave it null") from None
        self.max_seq_length = self.model.max_seq_length
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self.identity = f"{model_checksum(folder)}-len{self.max_seq_length}-v{EMBEDDING_VERSION}"
        self.directory = cache
        self.calls = 0  # batches sent to the model (tests check the cache with it)
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def card(self) -> dict:
        """What a model card records about this encoder."""
        return {"model": self.name, "identity": self.identity, "dimension": self.dimension,
                "max_seq_length": self.max_seq_length, "extra": EXTRA,
                "library": "sentence-transformers " + require_extra().__version__}

    # -- disk layer
    def _connect(self) -> sqlite3.Connection | None:
        if self.directory is None:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        con = connect_cache(self.directory / f"embeddings-v{EMBEDDING_VERSION}.sqlite")
        con.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key TEXT, value BLOB, PRIMARY KEY (model, key))")
        return con

    def _read_disk(self, keys: list[str]) -> dict[str, np.ndarray]:
        con = self._connect()
        if con is None or not keys:
            return {}
        found = {}
        try:
            for i in range(0, len(keys), 900):
                chunk = keys[i : i + 900]
                marks = ",".join("?" * len(chunk))
                rows = con.execute(f"SELECT key, value FROM emb WHERE model = ? AND key IN ({marks})",
                                   [self.identity, *chunk])
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        finally:
            con.close()
        return found

    def _write_disk(self, items: dict[str, np.ndarray]) -> None:
        con = self._connect()
        if con is None or not items:
            return
        try:
            with con:
                con.executemany("INSERT OR REPLACE INTO emb (model, key, value) VALUES (?, ?, ?)",
                                [(self.identity, k, v.astype(np.float32).tobytes()) for k, v in items.items()])
        finally:
            con.close()

    # -- public
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, computing only those in neither cache.

        Parameters
        ----------
        texts : sequence of str of length n_samples

        Returns
        -------
        ndarray of shape (n_samples, dimension), float32
            Unit-length vectors when the model normalises (all-MiniLM-L6-v2 does).
        """
        texts = list(texts)
        memory = self._memory
        missing = list(dict.fromkeys(t for t in texts if t not in memory))
        if missing:
            keyed = {_key(t): t for t in missing}
            from_disk = self._read_disk(list(keyed))
            todo = [t for k, t in keyed.items() if k not in from_disk]
            computed = dict(zip(todo, self._compute(todo))) if todo else {}
            self._write_disk({_key(t): v for t, v in computed.items()})
            with self._lock:
                memory.update((keyed[k], v) for k, v in from_disk.items())
                memory.update(computed)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([memory[t] for t in texts])

    def _compute(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        # longest first: batches of similar length waste less padding
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        bar = None
        if self.progress and len(texts) >= self.progress_threshold and on_terminal():
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc=f"embedding ({self.name.rsplit('/', 1)[-1]})", unit="text", leave=False)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        try:
            for i in range(0, len(order), self.batch_size * 8):
                chunk = order[i : i + self.batch_size * 8]
                vectors = self.model.encode([texts[j] for j in chunk], batch_size=self.batch_size,
                                            convert_to_numpy=True, show_progress_bar=False)
                out[chunk] = vectors
                if bar is not None:
                    bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
        return out

    def clear_memory(self) -> None:
        """Forget the in-memory layer (the disk cache stays)."""
        with self._lock:
            self._memory.clear()


_encoders: dict[tuple, Encoder] = {}
_encoders_lock = threading.Lock()


def get_encoder(model: str | os.PathLike = DEFAULT_MODEL, device: str = "cpu", batch_size: int = 64,
                max_seq_length: int | None = None, progress: bool = True) -> Encoder:
    """The process's :class:`Encoder` of a model (loaded once, then shared).

    Parameters
    ----------
    model : str or path
        Hub name or folder (:func:`resolve_model`).
    device, batch_size, max_seq_length, progress
        See :class:`Encoder`.

    Raises
    ------
    MissingModelError, MissingExtraError
    """
    folder = resolve_model(model)
    key = (str(folder), device, max_seq_length, str(cache_dir()))
    with _encoders_lock:
        encoder = _encoders.get(key)
        if encoder is None:
            encoder = Encoder(folder, os.fspath(model), device=device, batch_size=batch_size,
                              max_seq_length=max_seq_length, progress=progress, cache=cache_dir())
            _encoders[key] = encoder
    encoder.batch_size = batch_size
    encoder.progress = progress
    return encoder


def forget_encoders() -> None:
    """Drop the loaded encoders (their memory caches go with them)."""
    with _encoders_lock:
        _encoders.clear()
