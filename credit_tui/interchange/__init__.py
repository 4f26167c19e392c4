"""Files in and out: evidence CSV/XLSX, table workbooks, printed sheets (imports store, scoring)."""
