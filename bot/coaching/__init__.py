"""Pure coaching rules: no Telegram, no database, plain data in and out."""
