"""Renderings of results: terminal tables (and, later, HTML reports and plots)."""
