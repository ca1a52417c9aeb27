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
    """Register ``project_root`` and ``config_groups`` (idempotent)."""
    if not OmegaConf.has_resolver("project_root"):
        OmegaConf.register_new_resolver("project_root", lambda: str(PROJECT_ROOT))
    if not OmegaConf.has_resolver("config_groups"):
        OmegaConf.register_new_resolver("config_groups", config_groups_text)


def config_groups(config_name: str = "config") -> dict[str, list[str]]:
    """Every config group of the running Hydra app and its options, with ``hydra.searchpath`` applied.

    Hydra's own ``--help`` lists the groups of the primary config folder only
    (it builds its list without the primary config, so without the
    ``hydra.searchpath`` that adds ``experiments/``); this asks the same config
    loader with the primary config, so the paper presets of
    ``experiments/experiment/`` are listed beside ``conf/experiment/``.

    Parameters
    ----------
    config_name : str
        The primary config (``config``).

    Returns
    -------
    dict of str to list of str
        Group path (``dataset``, ``experiment``...; Hydra's own ``hydra/...`` groups
        left out) -> sorted option names, in group order.

    Outside a Hydra app (no config loader, e.g. a composed config resolved
    later), the groups are read from the folders themselves: the ``*.yaml``
    files under ``conf/`` and ``experiments/``.
    """
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.object_type import ObjectType

    if not GlobalHydra.instance().is_initialized():
        return _config_groups_on_disk()
    loader = GlobalHydra.instance().config_loader()

    def walk(parent: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in sorted(loader.get_group_options(parent, ObjectType.GROUP, config_name=config_name)):
            path = f"{parent}/{name}" if parent else name
            if path == "hydra":
                continue
            options = loader.get_group_options(path, ObjectType.CONFIG, config_name=config_name)
            if options:
                found[path] = sorted(options)
            found.update(walk(path))
        return found

    return walk("")


def _config_groups_on_disk() -> dict[str, list[str]]:
    """Group folder -> option names of the ``*.yaml`` files under ``conf/`` and ``experiments/``."""
    found: dict[str, set[str]] = {}
    for root in (CONFIG_DIR, EXPERIMENTS_DIR):
        for path in root.rglob("*.yaml"):
            group = path.parent.relative_to(root).as_posix()
            if group != "." and not group.startswith("hydra"):
                found.setdefault(group, set()).add(path.stem)
    return {group: sorted(found[group]) for group in sorted(found)}


def config_groups_text() -> str:
    """``config_groups()`` as ``group: option, option...`` lines (the ``${config_groups:}`` resolver)."""
    return "\n".join(f"{group}: {', '.join(options)}" for group, options in config_groups().items())


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
