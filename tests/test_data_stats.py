"""`framing data stats` counts each kind of gold: spans (PTC), paragraph labels (SemEval-2023 dev), bias labels."""

from __future__ import annotations

from framing.cli import main


def _tsv(capsys, dataset: str) -> tuple[list[list[str]], list[list[str]]]:
    assert main(["data", "stats", dataset, "--format", "tsv"]) == 0
    out = capsys.readouterr().out.strip().split("\n\n")
    overview, per_label = ([line.split("\t") for line in block.splitlines()] for block in out)
    return overview[1:], per_label  # overview without the corpus line


def test_bias_corpora_count_bias_labels_not_spans(shared_data, capsys):
    overview, per_label = _tsv(capsys, "babe")
    assert overview[1][:4] == ["all", "3673", "yes", "3673"]
    assert overview[1][4:] == ["", "", ""]  # no spans, no propaganda columns for a bias corpus
    assert per_label == [["technique", "all sentences"], ["Biased", "1810"], ["Non-biased", "1863"]]  # SOURCE.md


def test_semeval2023_dev_counts_its_paragraph_labels(shared_data, capsys):
    overview, per_label = _tsv(capsys, "semeval2023_en")
    header, train, dev = overview
    assert dev[:4] == ["dev", "90", "yes", "3127"] and dev[4] == ""  # 3,127 paragraphs, no span gold
    assert int(dev[5]) > 0
    assert per_label[0] == ["technique", "train spans", "train sentences", "dev sentences"]
    assert sum(int(row[3]) for row in per_label[1:]) == 1666  # dev paragraph labels (SOURCE.md)
    assert sum(int(row[1]) for row in per_label[1:]) == 7201  # train spans (SOURCE.md)
