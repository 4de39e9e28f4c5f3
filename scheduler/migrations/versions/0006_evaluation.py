"""Evaluation: what went out, as it went out (the caption, media, category, kind and calendar
revision kept on each publication when it is sent), and what the public did with it
(``insight_readings``: a post's metrics at one moment; ``follower_readings``: an account's
followers at one moment). Readings are only ever added: a time series, never overwritten.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

METRICS = ("views", "reach", "likes", "comments", "shares", "saves", "clicks", "replies")


def upgrade() -> None:
    with op.batch_alter_table("publications") as table:
        table.add_column(sa.Column("sent_caption", sa.Text()))
        table.add_column(sa.Column("sent_media", sa.Text()))
        table.add_column(sa.Column("category", sa.String(100)))
        table.add_column(sa.Column("kind", sa.String(20)))
        table.add_column(sa.Column("revision", sa.String(100)))
    op.create_table(
        "insight_readings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("account", sa.String(100), nullable=False, index=True),
        sa.Column("slot", sa.String(20), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        *(sa.Column(name, sa.BigInteger()) for name in METRICS),
    )
    op.create_table(
        "follower_readings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(100), nullable=False, index=True),
        sa.Column("read_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("followers", sa.BigInteger()),
    )


def downgrade() -> None:
    op.drop_table("follower_readings")
    op.drop_table("insight_readings")
    with op.batch_alter_table("publications") as table:
        for name in ("revision", "kind", "category", "sent_media", "sent_caption"):
            table.drop_column(name)
