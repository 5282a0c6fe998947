"""A sharded index served by Ray: the same `search_terms(terms, k)` the
in-process index serves, answered by shard actors each holding a range of the
corpus's passages (see docs/cluster.md).

Rooms: `layout.py` (which files each shard holds, the manifest on disk),
`weights.py` (the global idf and the weighing of one shard's counts),
`build.py` (the build as Ray tasks, and updates), `shard.py` (one shard: its
files loaded, searched), `sharded_index.py` (the console's side: fan-out,
merge, faults), `attach.py` (connecting to Ray, the shard actors, the
library and assistant over them).

Nothing here imports Ray at import time: only `import_ray()` does, when a
command was given --cluster.
"""

from __future__ import annotations

from ..errors import AssistantError

NAMESPACE = "assistant"  # Ray namespace of the named shard actors
RAY_MISSING = "--cluster needs Ray: pip install 'assistant[cluster]'"


class ClusterError(AssistantError):
    """The cluster cannot be reached, or its index cannot serve."""


def import_ray():
    """The ray module, or a one-line ClusterError when it is not installed."""
    try:
        import ray
    except ImportError:
        raise ClusterError(RAY_MISSING) from None
    return ray
