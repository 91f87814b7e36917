"""Immutable run configuration.

Precedence: defaults < ``[tool.chipclean]`` in pyproject.toml or ``[chipclean]``
in setup.cfg (the first found walking up from the inputs) < command-line flags.
"""

from __future__ import annotations

import configparser
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable

#: The stage names are a public contract: users, tests and benchmarks select them.
STAGES: tuple[str, ...] = (
    "repair",
    "normalize",
    "langid",
    "zh-script",
    "entities",
    "disclaimers",
    "boilerplate",
    "repeats",
)

CHOICES: dict[str, tuple[str, ...]] = {
    "unrecoverable": ("drop", "replace", "keep"),
    "zh_script": ("keep", "hans", "hant", "tw", "twp", "hk"),
    "entities": ("canonical", "annotate", "tag", "off"),
    "disclaimers": ("strip", "keep", "tag"),
    "lang_backend": ("langdetect", "fasttext"),
}


class ConfigError(ValueError):
    """A configuration value or file is invalid (exit code 2)."""


@dataclass(frozen=True)
class Config:
    stages: tuple[str, ...] = STAGES
    rules: tuple[str, ...] = ()  # extra rule-pack files or folders
    default_rules: bool = True
    disable: tuple[str, ...] = ()  # rule ids, or pack ids to disable whole packs
    text_field: str = "text"
    meta_field: str = "chipclean"
    unrecoverable: str = "drop"
    zh_script: str = "keep"
    entities: str = "canonical"
    disclaimers: str = "strip"
    cjk_spacing: bool = False
    citations: bool = False  # strip [1]-style citation markers
    translationese: bool = False  # normalize literal renderings in English translated from Chinese
    lang_backend: str = "langdetect"
    segments: bool = False
    keep_lang: tuple[str, ...] = ()
    drop_lang: tuple[str, ...] = ()
    repeats_min_docs: int = 5
    repeats_min_fraction: float = 0.01
    regex_timeout: float = 1.0  # seconds per rule per document
    extra: tuple[tuple[str, Any], ...] = field(default=())

    def __post_init__(self) -> None:
        unknown = [s for s in self.stages if s not in STAGES]
        if unknown:
            raise ConfigError(
                f"unknown stage(s): {', '.join(unknown)} (known: {', '.join(STAGES)})"
            )
        # keep pipeline order whatever order the user listed them in
        object.__setattr__(self, "stages", tuple(s for s in STAGES if s in self.stages))
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ConfigError(
                    f"{name.replace('_', '-')}: {value!r} is not one of {', '.join(allowed)}"
                )

    def enabled(self, stage: str) -> bool:
        return stage in self.stages

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """A stable hash of every option that can change the output."""
        blob = json.dumps(dataclasses.asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> "Config":
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"unknown option {key.replace('_', '-')!r}")
            kwargs[name] = tuple(value) if isinstance(value, list) else value
        return cls(**kwargs)


def select_stages(only: Iterable[str] = (), skip: Iterable[str] = ()) -> tuple[str, ...]:
    only = [s for s in only if s]
    skip = [s for s in skip if s]
    for s in list(only) + list(skip):
        if s not in STAGES:
            raise ConfigError(f"unknown stage {s!r} (known: {', '.join(STAGES)})")
    base = only or list(STAGES)
    return tuple(s for s in STAGES if s in base and s not in skip)


def find_project_config(paths: Iterable[str]) -> tuple[Path | None, dict[str, Any]]:
    """Walk up from the common parent of ``paths`` to find chipclean settings."""
    starts = [Path(p).resolve() for p in paths if p and p != "-"] or [Path.cwd()]
    try:
        common = Path(os.path.commonpath([str(p) for p in starts]))
    except ValueError:
        common = Path.cwd()
    if common.is_file():
        common = common.parent
    for directory in [common, *common.parents]:
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            values = _read_pyproject(pyproject)
            if values is not None:
                return pyproject, values
        setup_cfg = directory / "setup.cfg"
        if setup_cfg.is_file():
            values = _read_setup_cfg(setup_cfg)
            if values is not None:
                return setup_cfg, values
        if (directory / ".git").exists():
            break
    return None, {}


def _read_pyproject(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from None
    section = data.get("tool", {}).get("chipclean")
    if section is None:
        return None
    return {k.replace("-", "_"): v for k, v in section.items()}


def _read_setup_cfg(path: Path) -> dict[str, Any] | None:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc}") from None
    if not parser.has_section("chipclean"):
        return None
    values: dict[str, Any] = {}
    for key, raw in parser.items("chipclean"):
        raw = raw.strip()
        if "," in raw or "\n" in raw:
            values[key.replace("-", "_")] = [
                v.strip() for v in raw.replace("\n", ",").split(",") if v.strip()
            ]
        elif raw.lower() in ("true", "false", "yes", "no", "on", "off"):
            values[key.replace("-", "_")] = raw.lower() in ("true", "yes", "on")
        else:
            values[key.replace("-", "_")] = raw
    return values
