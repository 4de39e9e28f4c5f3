"""The first schema: publications, attempts, account pauses and meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("post_id", sa.String(100), nullable=False, index=True),
        sa.Column("account", sa.String(100), nullable=False, index=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("state", sa.String(20), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("owner", sa.String(200)),
        sa.Column("lease_until", sa.DateTime()),
        sa.Column("next_attempt_at", sa.DateTime()),
        sa.Column("caption_hash", sa.String(64)),
        sa.Column("container_id", sa.String(200)),
        sa.Column("platform_post_id", sa.String(200)),
        sa.Column("permalink", sa.String(500)),
        sa.Column("error_code", sa.String(40)),
        sa.Column("error_message", sa.Text()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("outcome", sa.String(20)),
        sa.Column("error_code", sa.String(40)),
        sa.Column("error_message", sa.Text()),
    )
    op.create_table(
        "account_pauses",
        sa.Column("account", sa.String(100), primary_key=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
    )
    meta = op.create_table(
        "meta",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.bulk_insert(meta, [{"name": "created_at", "value": datetime.now(UTC).isoformat()}])


def downgrade() -> None:
    for table in ("meta", "account_pauses", "attempts", "publications"):
        op.drop_table(table)
