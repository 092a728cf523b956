"""Use cases: each combines query functions and pure rules in one transaction."""
