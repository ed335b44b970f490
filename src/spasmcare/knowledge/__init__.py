"""Clinical knowledge as data: schema (schema.py), loader (loader.py), checks (checks.py).

Kept import-light on purpose: loading needs YAML and Pydantic, which the CLI should only
pay for when a command actually reads the knowledge base.
"""
