"""Composing the Hydra configuration outside ``@hydra.main`` (tests, CLI, reproduction).

Registers the ``${project_root:}`` resolver, which the configs use to find
the project's ``data/demo`` and the default MLflow database wherever the
command is launched from.
"""

from __future__ import annotations

from collections.abc import Sequence

from omegaconf import DictConfig, OmegaConf

from framing.resources import PROJECT_ROOT

CONFIG_DIR = PROJECT_ROOT / "conf"
EXPERIMENTS_DIR = PROJECT_ROOT / "experiments"


def register_resolvers() -> None:
    """Register ``project_root`` (idempotent)."""
    if not OmegaConf.has_resolver("project_root"):
        OmegaConf.register_new_resolver("project_root", lambda: str(PROJECT_ROOT))


def compose(overrides: Sequence[str] = (), config_name: str = "config", return_hydra_config: bool = False) -> DictConfig:
    """The composed configuration for ``overrides``, as ``framing-experiment`` would see it.

    Parameters
    ----------
    overrides : sequence of str
        Hydra overrides (``["dataset=ptc2019", "model.C=0.5"]``).

    Returns
    -------
    DictConfig
        Unresolved; resolve with ``OmegaConf.resolve`` or access keys.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_resolvers()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return hydra_compose(config_name, overrides=list(overrides), return_hydra_config=return_hydra_config)
