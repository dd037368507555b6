"""The commands as library functions: each returns a result with its problems and never prints."""
