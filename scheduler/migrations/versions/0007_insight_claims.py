"""Insight collection: ``insight_claims`` (one row per planned reading, a post's slot or an
account's day of followers: its primary key is what lets only one of several collectors read
it) and ``insight_access`` (per account, why its insights can't be read, and until when reads
hold off after Meta throttled them).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_claims",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("slot", sa.String(20), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "insight_access",
        sa.Column("account", sa.String(100), primary_key=True),
        sa.Column("problem", sa.Text()),
        sa.Column("since", sa.DateTime()),
        sa.Column("hold_until", sa.DateTime()),
    )


def downgrade() -> None:
    op.drop_table("insight_access")
    op.drop_table("insight_claims")
