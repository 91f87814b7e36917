"""Chinese text helpers: OpenCC converters, script detection and the entity
matcher shared by the ``zh-script`` and ``entities`` stages."""
