"""Check a register against its declarations (the pandera schemas live in validators/)."""
