"""HTML pages of the reports app: shared reports and monthly reports, the dashboard, the ledgers."""
