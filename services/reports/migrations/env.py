from kit.migrations import run_migrations
from services.reports.models import Base

run_migrations(Base.metadata)
