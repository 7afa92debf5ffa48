"""The archive's use cases, one module per use case: runs, reading packages, fixity audits,
the schedule's findings, the ledger of the journal, the schools' time zones. Each takes a
`kit.usecase.UseCase`; the edge (API, consumer, worker, command line) opens its unit of work."""
