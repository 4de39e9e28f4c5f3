"""Notifications: the events already told (``notify_marks``, one row per event and subject,
so that nothing is told twice) and the queue of messages to send (``notify_messages``).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notify_marks",
        sa.Column("event", sa.String(20), primary_key=True),
        sa.Column("subject", sa.String(250), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "notify_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(100), nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attach", sa.Text()),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("tries", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.DateTime(), nullable=False),
        sa.Column("owner", sa.String(200)),
        sa.Column("lease_until", sa.DateTime()),
        sa.Column("answer", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime()),
    )


def downgrade() -> None:
    op.drop_table("notify_messages")
    op.drop_table("notify_marks")
