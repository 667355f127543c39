"""Background jobs on Huey (SQLite embedded, Redis when `REDIS_URL` is set).

    from tools.jobs.queue import enqueue, job, periodic

    @job("reports.build", retries=3)
    def build(payload: dict[str, Any]) -> None: ...

    enqueue("reports.build", {"report_id": rid}, tenant_id=ctx.tenant_id, session=ctx.session)
"""
