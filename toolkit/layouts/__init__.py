"""Turn records into Word (and HTML) in the declared arrangement."""
