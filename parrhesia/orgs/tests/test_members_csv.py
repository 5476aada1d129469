"""members.csv in a member's download: a display name cannot become a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil","x")', "@SUM(1)", "-2+3", "+1"])
def test_a_formula_in_a_display_name_is_neutralised(client, riverside, carol, bob, name):
    carol.display_name = name
    carol.save(update_fields=["display_name"])
    client.force_login(bob)
    response = client.get("/o/riverside/record/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.DictReader(io.StringIO(archive.read("members.csv").decode())))
    assert "'" + name in [row["display_name"] for row in rows]
    assert all(row["member_id"].isdigit() for row in rows)
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
