"""A small bounded cache (least recently used out first), for explorers that keep computed results."""
from collections import OrderedDict


class LRU:
    """At most `size` entries; the least recently used one is dropped when a new one comes in.

    what: a sentence saying what the entries are (shown in repr, so a memory report names them).
    get(key, make) returns the entry for key, calling make() to build it when it is missing.
    """

    def __init__(self, size, what):
        if int(size) != size or size < 1:
            raise ValueError(f"size must be a whole number >= 1, got {size!r}")
        self.size, self.what, self._entries = int(size), what, OrderedDict()

    def get(self, key, make):
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = make()
        self._entries[key] = value
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return value

    def __contains__(self, key):
        return key in self._entries

    def __getitem__(self, key):
        self._entries.move_to_end(key)
        return self._entries[key]

    def __setitem__(self, key, value):
        self.get(key, lambda: value)
        self._entries[key] = value

    def __len__(self):
        return len(self._entries)

    def clear(self):
        self._entries.clear()

    def __repr__(self):
        return f"LRU({self.size}, {self.what!r}: {len(self)} held)"
