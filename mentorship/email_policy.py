"""Email policies that build the same messages with less CPU.

The standard library's header factory creates a new class for every header it sets
(``type(...)`` in ``HeaderRegistry.__getitem__``): some fifty per reminder, most of the
cost of setting headers. These classes hold no state, so one per header name serves
every message, and the bytes sent are unchanged.
"""

import functools
from email.headerregistry import HeaderRegistry
from email.policy import Policy


class CachedHeaderRegistry(HeaderRegistry):
    """A ``HeaderRegistry`` that builds each header name's class once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._classes = {}

    def map_to_type(self, name, cls):
        super().map_to_type(name, cls)
        self._classes.clear()

    def __getitem__(self, name):
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = super().__getitem__(name)
        return cls


@functools.lru_cache(maxsize=16)  # a few policies per process; never grows without bound
def with_cached_headers(policy: Policy) -> Policy:
    """``policy`` with a header factory that reuses header classes (the same policy
    when it has a factory of its own)."""
    factory = policy.header_factory
    if type(factory) is not HeaderRegistry:
        return policy
    cached = CachedHeaderRegistry(factory.base_class, factory.default_class, False)
    cached.registry.update(factory.registry)
    return policy.clone(header_factory=cached)
