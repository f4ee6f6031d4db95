//! Integration tests only: see `tests/` and the README in this folder.
