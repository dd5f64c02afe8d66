"""Text primitives shared by every stage: segmentation, sentences, languages."""
