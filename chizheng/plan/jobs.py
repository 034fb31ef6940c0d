"""The plan's nightly job: checking that the progress tally matches the certificate
records of every plan year (``chizheng plan refresh --check``). Reads only."""

from __future__ import annotations

from chizheng.core.errors import DomainError
from chizheng.jobs.kinds import Outcome
from chizheng.jobs.models import Job
from chizheng.jobs.progress import Progress

from .models import Plan
from .tally import tally_matches


class TallyMismatch(DomainError):
    code = "plan_tally_mismatch"
    http_status = 409


def tally_check(job: Job, progress: Progress) -> Outcome:
    years = sorted(Plan.objects.values_list("year", flat=True).distinct())
    progress.set_total(len(years))
    wrong: list[int] = []
    for i, year in enumerate(years, start=1):
        if not tally_matches(year=year):
            wrong.append(year)
            progress.log(f"{year}年度进度统计与证书记录不一致", "warning")
        progress.set_done(i)
    if wrong:
        listed = "、".join(str(y) for y in wrong)
        raise TallyMismatch(
            f"{listed}年度进度统计与证书记录不一致，请执行 chizheng plan refresh --year {wrong[0]}",
            message_en=f"the tally of {listed} does not match the certificates",
            detail={"years": wrong},
        )
    listed = "、".join(str(y) for y in years) or "无"
    return Outcome(message=f"进度统计与证书记录一致（年度：{listed}）", summary={"years": years})
