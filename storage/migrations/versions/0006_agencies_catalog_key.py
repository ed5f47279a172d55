"""agencies.catalog_key: the agency catalog's stable identity key, unique

The rows themselves are seeded from the bundled catalog on start (storage.agency_catalog,
called by storage.bundled_data.ensure_ready), so an existing database is upgraded the same
way as a new one.

Revision ID: 0006
Revises: 0005

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("catalog_key", sa.String(length=150), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_agencies_catalog_key"), ["catalog_key"])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_agencies_catalog_key"), type_="unique")
        batch_op.drop_column("catalog_key")
