"""The reports service's outside world: the report file store, the workers' queue, job
progress in Redis, the journal's export over HTTP, and the PDF/XLSX renderers."""
