"""The iCalendar feed: what it last said of each event (``feed_events``: its content's digest,
its SEQUENCE and when it last changed), so that a changed event gets a higher SEQUENCE and a
later LAST-MODIFIED, and an unchanged one the same bytes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_events",
        sa.Column("uid", sa.String(250), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("modified", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feed_events")
