from kit.migrations import run_migrations
from services.journal.models import Base

run_migrations(Base.metadata)
