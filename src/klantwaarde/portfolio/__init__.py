"""The portfolio (``kwm portfolio``, SPEC 3.8): every client folder below one or more folders in
one internal workbook for the sales organisation.

Where things are: ``find.py`` finds the client folders; ``gather.py`` reads each one's latest
monitor (``_data`` only, in a pool of processes for many folders); ``model.py`` turns what the
monitors publish into the tables (standard library only); ``themes.py`` groups KWI titles by theme;
``csv_tables.py`` writes the tables as CSV for BI tools; ``sheets.py`` writes the workbook. The
command itself is ``api/portfolio.py``.
"""
