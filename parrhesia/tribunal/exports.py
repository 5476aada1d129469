"""The tribunal's part of a member's download: the docket and the transparency report."""

from __future__ import annotations

import json
import zipfile
from typing import Any

from parrhesia.orgs.models import Organisation
from parrhesia.tribunal.selectors import cases_docket, transparency_of


def case_facts(case: Any) -> dict[str, Any]:
    """What the docket shows of a case to every member (never a withheld reporter)."""
    return {
        "number": case.number,
        "kind": case.kind,
        "object_id": case.object_id,
        "summary": case.summary,
        "accused": None if case.accused_hidden else case.accused_id,
        "pseudonym": case.accused_pseudonym or None,
        "reporter": None if case.reporter_hidden else case.reporter_id,
        "rules": case.rules_cited,
        "code_version": case.code_version,
        "phase": case.phase,
        "opened_at": case.opened_at.isoformat(),
        "defence_deadline": case.defence_deadline.isoformat(),
        "dismissal_reason": case.dismissal_reason,
        "decided_at": case.decided_at.isoformat() if case.decided_at else None,
    }


def tribunal_download_part(user: Any, organisation: Organisation, archive: zipfile.ZipFile) -> None:
    docket = [case_facts(case) for case in cases_docket(organisation)]
    archive.writestr("docket.json", json.dumps(docket, ensure_ascii=False, indent=2) + "\n")
    archive.writestr(
        "transparency.json",
        json.dumps(transparency_of(organisation), ensure_ascii=False, indent=2) + "\n",
    )
