"""Channel subscriptions: add, remove, list. One row per (channel, kind, target)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Subscription, TargetKind


class SubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_target(
        self, channel_id: str, *, kind: TargetKind, target: str
    ) -> Subscription | None:
        query = select(Subscription).where(
            Subscription.channel_id == channel_id,
            Subscription.target_kind == kind,
            Subscription.target == target,
        )
        return await self.session.scalar(query)

    async def add(
        self, channel_id: str, *, kind: TargetKind, target: str, created_by: str | None
    ) -> bool:
        """True when the subscription is new; False when the channel already had it."""
        if await self.get_by_target(channel_id, kind=kind, target=target):
            return False
        self.session.add(
            Subscription(
                channel_id=channel_id, target_kind=kind, target=target, created_by=created_by
            )
        )
        await self.session.flush()
        return True

    async def remove(self, channel_id: str, *, kind: TargetKind, target: str) -> bool:
        result = await self.session.execute(
            delete(Subscription).where(
                Subscription.channel_id == channel_id,
                Subscription.target_kind == kind,
                Subscription.target == target,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def list_for_channels(self, channel_ids: Iterable[str]) -> Sequence[Subscription]:
        query = select(Subscription).where(Subscription.channel_id.in_(list(channel_ids)))
        return (
            await self.session.scalars(query.order_by(Subscription.channel_id, Subscription.id))
        ).all()

    async def list_created_by(self, user_id: str) -> Sequence[Subscription]:
        query = select(Subscription).where(Subscription.created_by == user_id)
        return (
            await self.session.scalars(query.order_by(Subscription.channel_id, Subscription.id))
        ).all()

    async def list_all(self) -> Sequence[Subscription]:
        return (await self.session.scalars(select(Subscription).order_by(Subscription.id))).all()
