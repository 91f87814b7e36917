"""YAML loading that remembers line numbers, on top of the safe loader only.

Rule packs must never be able to run code, so everything here derives from
the safe loader (``yaml.CSafeLoader`` or ``yaml.SafeLoader``): only plain
scalars, lists and mappings are constructed.
Mappings come back as :class:`LineDict`, which carries the 1-based line where
each mapping and each of its keys starts, so errors can say ``file:line``.
"""

from __future__ import annotations

import yaml


class LineDict(dict):
    __slots__ = ("line", "key_lines")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = 0
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


# libyaml's parser when it is there (ten times faster on the shipped packs,
# which matters for a pre-commit hook that starts once per commit); either way
# objects are built by the safe constructor only.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_yaml(text: str):
    """Parse YAML safely; raises ``yaml.YAMLError`` with a ``problem_mark``."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


def error_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1
