"""Reading what operators hand in: results and score sheets (CSV/XLSX), the ministry's
official table (CSV, TSV, XLSX, HWPX, PDF, pasted text), every row checked against the
agency catalog. Plain values out; no database."""
