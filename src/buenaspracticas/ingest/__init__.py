"""Turns a report's text into plain records with provenance. The parser imports nothing from Django;
only `loader` writes, through the catalog's services."""
