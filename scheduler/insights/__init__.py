"""Collecting what the public did with the published posts: insights, read at planned
moments after publication (``slots``) and kept as a time series in the store
(``collect``). Publishing never waits for it: the daemon's collection job yields to
publishing, and a failed read is tried again later, never retried in a loop."""
