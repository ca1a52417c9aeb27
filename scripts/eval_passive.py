#!/usr/bin/env python3
"""Measure the passive-voice detector of :class:`framing.features.agency.AgencyFeatures`
against hand-labelled PTC sentences (``tests/fixtures/passive_gold.tsv``).

Two sub-commands::

    python scripts/eval_passive.py eval [--gold FILE] [--errors]
        Precision and recall of be/get passives and of agentless passives, at
        the instance level: a predicted passive matches a gold one of the same
        sentence when its participle is the same word (each gold participle is
        matched at most once). Printed for the ``tuning`` sentences (the rules
        were developed on them), the ``heldout`` ones (labelled after the rules
        were frozen) and all. ``--errors`` lists the sentences where prediction
        and gold differ.

    python scripts/eval_passive.py sample [--seed 2020] [--n 125] [--n-other N]
                                          [--exclude FILE] [--set NAME] [--data DIR]
        Draw the sentences to label (how the fixture was made): non-blank
        lines of PTC SemEval-2020 ``dev-articles`` with at least five words,
        de-duplicated, minus the sentences of ``--exclude``; ``n`` drawn at
        random from the lines where a be/get form is followed within three
        words by a word ending in -ed/-en or an irregular past participle
        (positives and hard negatives), and ``n-other`` (default ``n``) from the
        other lines. Prints draft fixture rows with empty labels, which are
        then filled in by hand. The tuning set is ``--seed 2020 --n 125``; the
        held-out set ``--seed 7 --n 50 --n-other 30 --set heldout`` excluding
        the tuning sentences.

``sample`` reads the corpus from ``--data`` or ``$FRAMING_DATA``; ``eval`` needs
no corpus (the sentences are in the fixture) but needs the NLTK data
(``$NLTK_DATA``).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "tests" / "fixtures" / "passive_gold.tsv"
GOLD_HEADER = ("article_id", "line", "sentence", "n_passive", "n_agentless", "participles", "agentless", "set")
#: ``tuning``: the sentences the rules were developed on; ``heldout``: labelled after the rules were frozen.
GOLD_SETS = ("tuning", "heldout")

# -- sampling ---------------------------------------------------------------------------------

_BE_GET = frozenset("be is are am was were been being get gets got gotten getting".split())
# Irregular past participles (the sampling heuristic only; not the detector's list).
_IRREGULAR = frozenset(
    """arisen awoken borne beaten become begun bent bet bid bitten bled blown broken bred brought
    built burnt burst bought cast caught chosen come cost crept cut dealt dug done drawn dreamt drunk
    driven eaten fallen fed felt fought found fled flung flown forbidden forgotten forgiven frozen got
    gotten given gone ground grown hung had heard hidden hit held hurt kept knelt known laid led leapt
    learnt left lent let lain lit lost made meant met paid put quit read rid ridden rung risen run said
    seen sought sold sent set shaken shed shone shot shown shrunk shut sung sunk sat slain slept slid
    slung split spoken sped spent spun spread sprung stood stolen stuck stung struck strung sworn swept
    swollen swum swung taken taught torn told thought thrown understood undertaken upset woken worn
    woven wed wept won wound withdrawn written overtaken overseen""".split()
)
_WORD = re.compile(r"[A-Za-z’']+")


def looks_passive(line: str) -> bool:
    """The enrichment heuristic: a be/get form followed within 3 words by an -ed/-en/irregular word."""
    words = [w.lower() for w in _WORD.findall(line)]
    for i, word in enumerate(words):
        if word in _BE_GET or word.endswith(("'s", "’s")):
            for nxt in words[i + 1 : i + 4]:
                if nxt.endswith(("ed", "en")) or nxt in _IRREGULAR:
                    return True
    return False


def dev_lines(data: Path) -> list[tuple[str, int, str]]:
    """``(article_id, line_number, line)`` of the distinct dev lines with >= 5 words."""
    folder = data / "ptc_semeval2020" / "dev-articles"
    paths = sorted(folder.glob("article*.txt"))
    if not paths:
        raise FileNotFoundError(f"no article*.txt in {folder}")
    seen: set[str] = set()
    rows = []
    for path in paths:
        article = path.stem[len("article") :]
        with open(path, encoding="utf-8", newline="") as fh:
            for number, line in enumerate(fh.read().split("\n"), start=1):
                line = line.strip()
                if len(line.split()) >= 5 and "\t" not in line and line not in seen:
                    seen.add(line)
                    rows.append((article, number, line))
    return rows


def sample(
    data: Path, seed: int, n: int, n_other: int | None = None, exclude: set[str] = frozenset()
) -> list[tuple[str, int, str]]:
    """``n`` enriched and ``n_other`` (default ``n``) other dev lines not in ``exclude``, in corpus order."""
    rows = [r for r in dev_lines(data) if r[2] not in exclude]
    rng = random.Random(seed)
    enriched = [r for r in rows if looks_passive(r[2])]
    other = [r for r in rows if not looks_passive(r[2])]
    chosen = set(rng.sample(range(len(enriched)), n))
    picked = [r for i, r in enumerate(enriched) if i in chosen]
    chosen = set(rng.sample(range(len(other)), n if n_other is None else n_other))
    picked += [r for i, r in enumerate(other) if i in chosen]
    return sorted(picked, key=lambda r: (r[0], r[1]))


# -- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSentence:
    """One labelled sentence of the fixture."""

    article_id: str
    line: int
    sentence: str
    participles: tuple[str, ...]  # every be/get passive, by its participle (lower case)
    agentless: tuple[str, ...]  # the agentless ones among them
    set: str = "tuning"


def _split_words(field: str) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in field.split(";") if w.strip())


def read_gold(path: Path = DEFAULT_GOLD) -> list[GoldSentence]:
    """Read ``passive_gold.tsv``, checking that counts and participle lists agree.

    Raises
    ------
    ValueError
        Naming file and line, for a row with the wrong number of fields, counts
        that disagree with the participle lists, or a participle that is not a
        word of the sentence.
    """
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != len(GOLD_HEADER):
                raise ValueError(f"{path}:{number}: expected {len(GOLD_HEADER)} fields, got {len(fields)}")
            if tuple(fields) == GOLD_HEADER:
                continue
            article, line_no, sentence, n_passive, n_agentless, participles, agentless, which = fields
            if which not in GOLD_SETS:
                raise ValueError(f"{path}:{number}: set must be one of {GOLD_SETS}, got {which!r}")
            parts, free = _split_words(participles), _split_words(agentless)
            if int(n_passive) != len(parts) or int(n_agentless) != len(free):
                raise ValueError(f"{path}:{number}: counts {n_passive}/{n_agentless} disagree with the lists")
            if Counter(free) - Counter(parts):
                raise ValueError(f"{path}:{number}: agentless participles not among the participles")
            words = Counter(w.lower() for w in re.findall(r"[\w’'-]+", sentence))
            for word, k in Counter(parts).items():
                if words[word] < k:
                    raise ValueError(f"{path}:{number}: participle {word!r} not in the sentence {k} time(s)")
            out.append(GoldSentence(article, int(line_no), sentence, parts, free, which))
    return out


def _matches(gold: tuple[str, ...], pred: list[str]) -> int:
    return sum((Counter(gold) & Counter(pred)).values())


def evaluate(gold: list[GoldSentence], estimator=None) -> dict[str, float]:
    """Instance-level precision/recall of passives and agentless passives.

    Parameters
    ----------
    gold : list of GoldSentence
    estimator : AgencyFeatures, optional
        A fitted detector; default ``AgencyFeatures().fit()``.

    Returns
    -------
    dict
        ``passive_precision``, ``passive_recall``, ``passive_f1``, the same for
        ``agentless_``, and the counts ``*_gold``, ``*_pred``, ``*_tp``.
    """
    from framing.features.agency import AgencyFeatures

    est = estimator if estimator is not None else AgencyFeatures().fit()
    found = est.find_passives_many([g.sentence for g in gold])
    counts = Counter()
    for g, passives in zip(gold, found):
        pred_all = [p.participle.lower() for p in passives]
        pred_free = [p.participle.lower() for p in passives if not p.has_agent]
        for kind, gl, pl in (("passive", g.participles, pred_all), ("agentless", g.agentless, pred_free)):
            counts[f"{kind}_gold"] += len(gl)
            counts[f"{kind}_pred"] += len(pl)
            counts[f"{kind}_tp"] += _matches(gl, pl)
    out: dict[str, float] = {"sentences": float(len(gold))}
    for kind in ("passive", "agentless"):
        tp, n_pred, n_gold = counts[f"{kind}_tp"], counts[f"{kind}_pred"], counts[f"{kind}_gold"]
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        out.update(
            {
                f"{kind}_gold": float(n_gold),
                f"{kind}_pred": float(n_pred),
                f"{kind}_tp": float(tp),
                f"{kind}_precision": p,
                f"{kind}_recall": r,
                f"{kind}_f1": 2 * p * r / (p + r) if p + r else 0.0,
            }
        )
    return out


def errors(gold: list[GoldSentence], estimator=None) -> list[str]:
    """One line per sentence where prediction and gold differ."""
    from framing.features.agency import AgencyFeatures

    est = estimator if estimator is not None else AgencyFeatures().fit()
    lines = []
    for g, passives in zip(gold, est.find_passives_many([g.sentence for g in gold])):
        pred_all = Counter(p.participle.lower() for p in passives)
        pred_free = Counter(p.participle.lower() for p in passives if not p.has_agent)
        gold_all, gold_free = Counter(g.participles), Counter(g.agentless)
        if pred_all != gold_all or pred_free != gold_free:
            lines.append(
                f"{g.article_id}:{g.line}\n  gold {dict(gold_all)} agentless {dict(gold_free)}"
                f"\n  pred {dict(pred_all)} agentless {dict(pred_free)}\n  {g.sentence}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("eval", help="precision/recall against the fixture")
    ev.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ev.add_argument("--errors", action="store_true", help="list the disagreements")
    sa = sub.add_parser("sample", help="draw sentences to label")
    sa.add_argument("--seed", type=int, default=2020)
    sa.add_argument("--n", type=int, default=125)
    sa.add_argument("--n-other", type=int, default=None, help="lines drawn from the other lines (default --n)")
    sa.add_argument("--exclude", type=Path, default=None, help="a fixture whose sentences are not drawn again")
    sa.add_argument("--set", default="tuning", help="value of the set column")
    sa.add_argument("--data", type=Path, default=None, help="corpus root (default $FRAMING_DATA)")
    args = parser.parse_args(argv)

    if args.command == "sample":
        data = args.data or (Path(os.environ["FRAMING_DATA"]) if os.environ.get("FRAMING_DATA") else None)
        if data is None:
            parser.error("give --data or set FRAMING_DATA")
        exclude = {g.sentence for g in read_gold(args.exclude)} if args.exclude else set()
        print("\t".join(GOLD_HEADER))
        for article, number, line in sample(data, args.seed, args.n, args.n_other, exclude):
            print(f"{article}\t{number}\t{line}\t\t\t\t\t{args.set}")
        return 0

    gold = read_gold(args.gold)
    if args.errors:
        for line in errors(gold):
            print(line)
    print(args.gold)
    for name in GOLD_SETS + ("all",):
        part = [g for g in gold if name in ("all", g.set)]
        if not part:
            continue
        scores = evaluate(part)
        print(f"{name}: {int(scores['sentences'])} sentences")
        for kind in ("passive", "agentless"):
            print(
                f"  {kind:9s}  gold {int(scores[kind + '_gold']):4d}  pred {int(scores[kind + '_pred']):4d}  "
                f"tp {int(scores[kind + '_tp']):4d}  P {scores[kind + '_precision']:.3f}  "
                f"R {scores[kind + '_recall']:.3f}  F1 {scores[kind + '_f1']:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
