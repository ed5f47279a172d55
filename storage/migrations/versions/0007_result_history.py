"""result history: earlier versions and confirming sources of each result; each result's
own provenance (the name as written, the file, who loaded it and when)

Results stored before this revision keep NULL provenance: nothing says who loaded them.

Revision ID: 0007
Revises: 0006

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("written_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("source_file", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("loaded_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "result_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("grading_group", sa.String(length=20), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("group_avg", sa.Float(), nullable=True),
        sa.Column("item_grades", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("more_sources", sa.Text(), nullable=True),
        sa.Column("published_name", sa.String(length=100), nullable=False),
        sa.Column("written_name", sa.String(length=100), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("loaded_by", sa.String(length=100), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["results.id"],
            name=op.f("fk_result_history_result_id_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_history")),
    )
    with op.batch_alter_table("result_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_result_history_result_id"), ["result_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("result_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_result_history_result_id"))

    op.drop_table("result_history")
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("loaded_at")
        batch_op.drop_column("loaded_by")
        batch_op.drop_column("source_file")
        batch_op.drop_column("written_name")
