"""Steps that need no MkDocs: PDFs and the self-hosting zip from a built site, translation state, link status."""
