"""Telegram handlers, one module per feature: parse, call a flow, reply."""
