from kit.migrations import run_migrations
from services.archive.models import Base

run_migrations(Base.metadata)
