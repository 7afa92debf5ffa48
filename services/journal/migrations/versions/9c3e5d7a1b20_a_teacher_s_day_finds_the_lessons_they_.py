"""a teacher's day finds the lessons they substitute: ix_lesson_substitute_date

Revision ID: 9c3e5d7a1b20
Revises: f781bf4a3925
Create Date: 2026-12-02 05:58:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '9c3e5d7a1b20'
down_revision: Union[str, Sequence[str], None] = 'f781bf4a3925'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        'ix_lesson_substitute_date', 'lesson', ['school_id', 'substitute_id', 'date'], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_lesson_substitute_date', table_name='lesson')
