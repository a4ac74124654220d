"""The project's Markdown syntax as Python-Markdown extensions (no MkDocs): ``%field`` and its groups,
``%worksheet-index`` (worksheets.py) and ``%organisations`` (organisations.py), registered in mkdocs.yml
``markdown_extensions``. Each turns its lines into the placeholders or the HTML that the build fills in; what
only the build knows (the page's file, the language, the strings, the entries) comes through the extension's
settings, which the hooks set for every page (``config.mdx_configs``)."""
