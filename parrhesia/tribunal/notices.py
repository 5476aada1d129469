"""The tribunal's personal notices (each also e-mailed at once; the docket is the public one)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from parrhesia.notifications.notices import notice_register

notice_register(
    "case_reported",
    gettext_lazy(
        "Case %(number)s: you have been reported. You may defend yourself until %(deadline)s."
    ),
)
notice_register(
    "case_dismissed",
    gettext_lazy("Case %(number)s: your report was dismissed; you may ask for a jury anyway."),
)
notice_register(
    "interim_measure",
    gettext_lazy(
        "Case %(number)s: your content is hidden by an interim measure, which lapses unless a "
        "jury confirms it."
    ),
)
notice_register(
    "interim_measure_held",
    gettext_lazy(
        "Case %(number)s: your content is hidden by an interim measure until the case is decided, "
        "as it concerns personal data."
    ),
)
notice_register(
    "advocate_named",
    gettext_lazy(
        "Case %(number)s: the member concerned named you as their advocate. If you cannot or "
        "will not act for them, step down on the case page."
    ),
)
notice_register(
    "advocate_stepped_down",
    gettext_lazy("Case %(number)s: your advocate stepped down; you may name another."),
)
notice_register(
    "juror_drawn",
    gettext_lazy(
        "Case %(number)s: you are drawn as a juror. Read the case and deliberate in the jury room."
    ),
)
notice_register(
    "verdict",
    gettext_lazy("Case %(number)s: the jury's verdict and its reasons are on the docket."),
)
notice_register(
    "jury_reminder",
    gettext_lazy(
        "Case %(number)s: you have not voted yet. Jurors who have not voted by %(deadline)s are "
        "replaced by lot."
    ),
)
notice_register(
    "juror_lapsed",
    gettext_lazy(
        "Case %(number)s: you did not vote by the jury's deadline; another member was drawn in "
        "your place."
    ),
)
notice_register(
    "jury_stuck",
    gettext_lazy(
        "Case %(number)s: jurors did not vote by the deadline and too few eligible members are "
        "left to replace them; the case waits."
    ),
)
