"""From one edition to the next: import a hand-made annex, roll the register over."""
