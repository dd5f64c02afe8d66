"""Pull what a post says out of its text: clean body, mentions, groups, dates, sentences."""
