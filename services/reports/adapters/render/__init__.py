"""Printed forms of the reports: PDF and XLSX."""
