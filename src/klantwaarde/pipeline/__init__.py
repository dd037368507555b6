"""Stages of a cycle that commands share: the base read and checked, the returned forms collected,
the history of earlier monitors loaded. Never prints; the commands in ``api`` put them together."""
