"""What an annex type is: columns, lists, settings, rules and layout, read from TOML."""
