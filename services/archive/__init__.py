"""Archive: weekly and year-end packages of the journal on two stores, fixity audits, repair."""
