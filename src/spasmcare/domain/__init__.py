"""Vocabulary types shared by the engine and the shells: pure, frozen, no I/O."""
