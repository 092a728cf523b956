"""Small query functions, `verb_noun(session, *, ...)`: the only place SQL is written."""
