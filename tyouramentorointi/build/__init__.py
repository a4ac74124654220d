"""The logic of the MkDocs hooks; each hooks/<name>.py re-exports the events of build/<name>.py."""
