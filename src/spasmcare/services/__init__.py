"""One function per user action: the only code that uses both the engine and storage.
The CLI, the web pages and the REST API are thin shells over these."""
