"""Django's SQLite backend, with one probe that does not wait for the write lock."""
