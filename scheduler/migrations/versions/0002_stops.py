"""Emergency stops: who stopped publishing (one account, or every account when ``account``
is NULL), since when, until when, why, and who lifted it; rows are kept, never deleted.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stops",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(100)),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stopped_by", sa.String(200), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime()),
        sa.Column("lifted_at", sa.DateTime()),
        sa.Column("lifted_by", sa.String(200)),
        sa.Column("logged", sa.String(20)),
    )


def downgrade() -> None:
    op.drop_table("stops")
