"""Running the pipeline over files: batches, workers, refresh from cron, rescoring."""
