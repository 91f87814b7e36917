"""The rule packs shipped with chipclean (YAML files in sub-folders)."""
