"""Checks over the sources (content, spelling, data) and over a built site (links, URLs)."""
