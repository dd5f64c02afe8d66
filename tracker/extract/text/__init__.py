"""Text primitives shared by every stage: segmentation, sentences, languages (under extract,
whose first step they are; the later stages reach them through it)."""
