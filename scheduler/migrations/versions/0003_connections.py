"""Waiting for the connection: the state of each network endpoint (since when it has been
unreachable, when it is checked next), and per publication since when it has waited for the
connection, how long it waited in all, and when it was published.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "connections",
        sa.Column("endpoint", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("offline_since", sa.DateTime()),
        sa.Column("next_check_at", sa.DateTime()),
        sa.Column("reason", sa.Text()),
    )
    with op.batch_alter_table("publications") as table:
        table.add_column(sa.Column("offline_since", sa.DateTime()))
        table.add_column(
            sa.Column("waited_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        table.add_column(sa.Column("published_at", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("publications") as table:
        table.drop_column("published_at")
        table.drop_column("waited_seconds")
        table.drop_column("offline_since")
    op.drop_table("connections")
