"""`toolkit build`: validate, render every annex, PDF and web edition, manifest."""
