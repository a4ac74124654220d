"""What every other part shares; imports nothing from MkDocs."""
