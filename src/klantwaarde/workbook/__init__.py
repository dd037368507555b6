"""Everything that touches spreadsheets (openpyxl, python-calamine) lives in this package."""
