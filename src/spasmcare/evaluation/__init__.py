"""The `spasmcare eval` harness: benchmark files -> cases -> metrics -> the JSON contract."""
