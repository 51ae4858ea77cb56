"""The reports page: figures (database aggregation), charts (inline SVG), CSV export."""
