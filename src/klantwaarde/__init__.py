"""klantwaarde: the customer-value monitor (klantwaardemonitor) as a command-line tool, ``kwm``."""

__version__ = "0.1.0"
