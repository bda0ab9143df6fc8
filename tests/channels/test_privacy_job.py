"""The gateway's retention job: it purges expired records on its schedule and audits it."""

from __future__ import annotations

import asyncio

from channels.privacy import retention_sweep
from core.access.audit import list_entries
from core.config import PrivacySettings, Settings
from tests.privacy.test_cli import _events, _stores


def test_the_gateway_job_purges_on_schedule(tmp_path, monkeypatch) -> None:
    db, tracker = _stores(tmp_path, monkeypatch)
    settings = Settings(database=db, privacy=PrivacySettings(
        retention_first_sweep_seconds=0, retention_sweep_hours=1))

    def audited() -> bool:
        return any(e.action == "privacy.purge" for e in list_entries(db.audit_url))

    async def one_round() -> None:
        # the job purges, then records the purge in the audit log in a second step: wait for
        # both before stopping it (stopping it between the two lost the record under load)
        task = asyncio.create_task(retention_sweep(settings))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if _events(tracker) == 1 and audited():
                break
        task.cancel()

    asyncio.run(one_round())
    assert _events(tracker) == 1
    assert audited()
