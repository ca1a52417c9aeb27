"""What the command lines print for help, and the commands a run prints: plain text, every preset, runnable.

``framing --help`` and each subcommand's help are plain text (no reStructuredText);
``framing-experiment --help`` names the app and lists every experiment preset of
``conf/experiment/`` and ``experiments/experiment/``; the commands a run prints
(``mlflow ui``, ``framing compare``) run as printed, also when ``make run`` calls
the environment's scripts without activating it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from framing.cli import COMMAND_MODULES, build_parser
from framing.config import CONFIG_DIR, EXPERIMENTS_DIR
from framing.resources import console_script

RST = re.compile(r"``|:(?:func|mod|class|data|meth|attr):`|\*\*")


def _help(parser) -> str:
    return parser.format_help()


def test_framing_help_and_every_subcommand_help_are_plain_text():
    parser = build_parser()
    texts = {"framing": _help(parser)}
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        texts[name] = _help(p)
        for action in p._actions:  # nested groups (framing data stats)
            if action.__class__.__name__ == "_SubParsersAction":
                texts.update({f"{name} {n}": _help(q) for n, q in action.choices.items()})
    assert set(COMMAND_MODULES) <= set(texts)
    marked = {name: RST.findall(text) for name, text in texts.items() if RST.search(text)}
    assert not marked, marked
    assert texts["framing"].splitlines()[2].startswith("framing: the utility command line")


def _presets() -> set[str]:
    return {p.stem for root in (CONFIG_DIR, EXPERIMENTS_DIR) for p in (root / "experiment").glob("*.yaml")}


def test_framing_experiment_help_names_the_app_and_lists_every_preset():
    done = subprocess.run([sys.executable, "-m", "framing.experiment", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("framing-experiment: run one experiment")
    assert "experiment is powered by Hydra" not in out
    line = next(x for x in out.splitlines() if x.startswith("experiment: "))
    listed = set(line.removeprefix("experiment: ").split(", "))
    presets = _presets()
    assert len(presets) >= 14 and "ptc2019_slc_best" in presets and "analyzer_models" in presets
    assert listed == presets
    for group in ("dataset", "features", "model", "task", "tracking"):
        assert re.search(rf"^{group}: \w", out, re.M), group
    assert not re.search(r"^hydra", out, re.M)  # Hydra's own groups stay under --hydra-help
    assert "seed: 42" in out  # the config, as Hydra prints it


def test_console_script_is_the_bare_name_only_when_the_shell_finds_this_environment(monkeypatch, tmp_path):
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "mlflow").exists():
        pytest.skip(f"no mlflow script beside {sys.executable}")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    assert console_script("mlflow") == "mlflow"
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # make run: the environment not activated
    shown = console_script("mlflow")
    assert shown != "mlflow" and Path(shown).name == "mlflow"
    assert (Path.cwd() / shown).resolve() == (bin_dir / "mlflow").resolve()
    monkeypatch.chdir(tmp_path)  # launched elsewhere: an absolute path
    assert Path(console_script("mlflow")).is_absolute()
    assert console_script("no-such-script-here") == "no-such-script-here"


def test_the_ui_command_a_run_prints_runs_without_activating(monkeypatch):
    from framing.tracking import ui_command

    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "mlflow").exists():
        pytest.skip(f"no mlflow script beside {sys.executable}")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    command = ui_command("sqlite:////tmp/x/mlflow.db")
    executable = command.split(" ui ")[0]
    assert executable != "mlflow"
    done = subprocess.run([executable, "ui", "--help"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "--backend-store-uri" in done.stdout


def test_the_groups_outside_a_hydra_app_are_read_from_the_folders():
    from hydra.core.global_hydra import GlobalHydra

    from framing.config import config_groups, config_groups_text

    GlobalHydra.instance().clear()
    groups = config_groups()
    assert set(groups["experiment"]) == _presets()
    assert "launcher" not in " ".join(groups) and "dataset" in groups
    assert "experiment: " in config_groups_text()
