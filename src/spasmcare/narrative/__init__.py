"""Free text to findings: a story or a question typed in plain words, read with negation,
uncertainty and hypothetical cues (ConText), all phrase data in knowledge/data/language."""
