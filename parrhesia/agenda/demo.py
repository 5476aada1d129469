"""The demo's deliberation: the Riverside Tenants' Union decides how to answer a 9 % rent rise.

Three competing motions, about thirty arguments with challenges, suggestions (one adopted, one
declined), endorsements and a few open questions — all written through the services, so all of
it is on the demo's public record. Idempotent: nothing is added once the item exists.
"""

from __future__ import annotations

from typing import Any

from parrhesia.agenda import services
from parrhesia.agenda.models import AgendaItem

TITLE = "How do we answer the 9 % rent rise?"

MOTIONS = [
    ("alice", "Rent strike from 1 March",
     "From **1 March**, every member household pays the old rent and places the 9 % rise in the "
     "union's escrow account, until the landlord agrees to negotiate.\n\n"
     "- The union's hardship fund covers members who receive warning letters.\n"
     "- The strike ends by a vote of the general meeting."),
    ("dave", "Negotiate first, strike as a last resort",
     "The union asks the landlord for a meeting within **four weeks** to negotiate the rise, "
     "with a counter-offer of 3 % tied to the repair backlog. If the landlord refuses to meet, "
     "the stewards bring a strike motion to the next general meeting."),
    ("frank", "Challenge the rise before the rent tribunal",
     "The union funds a collective application to the rent tribunal, arguing that a 9 % rise "
     "is above the local reference rent for flats in this condition."),
]  # fmt: skip

# (motion index, author, stance, text, parent index in this list or None)
ARGUMENTS: list[tuple[int, str, str, str, int | None]] = [
    (0, "bob", "pro", "A strike is the only thing this landlord has ever answered: in 2019 the "
     "heating was fixed two weeks after the first withheld payment.", None),
    (0, "carol", "con", "Members on short tenancies risk non-renewal; a strike protects those "
     "who are hardest to evict and exposes the rest.", None),
    (0, "erin", "pro", "Escrow means the money is never spent: no member is in arrears in law, "
     "only in dispute.", None),
    (0, "grace", "rebuttal", "That depends on the tenancy agreement; some say rent is due "
     "'without deduction'.", 2),
    (0, "heidi", "support", "The 2019 minutes record exactly this escrow arrangement "
     "holding up.", 0),
    (0, "dave", "con", "Forty households are not enough to hurt a landlord with 400 flats.", None),
    (0, "frank", "rebuttal", "Forty is where we start; the 2019 strike began with 25.", 5),
    (0, "carol", "pro", "A date gives everyone time to prepare and to talk to their "
     "neighbours.", None),
    (0, "heidi", "con", "March is when heating bills peak; many members cannot absorb a dispute "
     "then.", None),
    (0, "alice", "rebuttal", "The hardship fund is there precisely for that month.", 8),
    (1, "erin", "pro", "Negotiating first shows the city council we acted in good faith, which "
     "matters if we later ask for its support.", None),
    (1, "bob", "con", "The landlord has ignored three letters since September; a fourth changes "
     "nothing.", None),
    (1, "dave", "rebuttal", "Those were letters from individuals, not from a union representing "
     "a tenth of the estate.", 11),
    (1, "grace", "pro", "Tying the offer to the repair backlog puts the mould in block D on the "
     "table.", None),
    (1, "heidi", "con", "Four weeks plus a general meeting means the rise is paid for two months "
     "before anything happens.", None),
    (1, "carol", "support", "And every month paid makes the rise look accepted.", 14),
    (1, "frank", "pro", "A counter-offer gives undecided members something to say yes to.", None),
    (1, "alice", "con", "3 % concedes most of the argument before we start.", None),
    (1, "erin", "rebuttal", "3 % is roughly inflation; it concedes nothing the law would not.", 17),
    (2, "grace", "pro", "The tribunal decides on law, not on who holds out longest.", None),
    (2, "bob", "con", "Tribunal cases take a year; the rise is due in six weeks.", None),
    (2, "frank", "rebuttal", "An application suspends the rise for the applicants in this "
     "jurisdiction.", 20),
    (2, "carol", "pro", "The reference rent for unrenovated flats here was 7.20 per m² last "
     "year; the rise takes us above it.", None),
    (2, "dave", "con", "Legal fees could empty the union's fund, which we need for everything "
     "else.", None),
    (2, "heidi", "rebuttal", "The tenants' federation's legal aid covers collective "
     "applications.", 23),
    (2, "alice", "pro", "A win sets a precedent for the whole estate, members or not.", None),
    (2, "erin", "con", "Only tenants who apply are covered; it divides the estate.", None),
    (2, "grace", "support", "Which is why the union should file for every member at once.", 26),
    (0, "frank", "con", "A strike vote that fails would weaken the union for years.", None),
    (1, "heidi", "pro", "Nothing stops us from preparing the strike while we negotiate.", None),
]  # fmt: skip

# (argument index, challenger, kind, text, answer or "")
CHALLENGES = [
    (0, "dave", "source", "", "Minutes of the general meeting of 14 March 2019, item 4."),
    (5, "bob", "misquoted", "The motion speaks of all member households, about 120.", ""),
    (12, "alice", "non_sequitur", "", "A union letter is a collective demand; the landlord's "
     "lawyers have to answer it."),
    (21, "dave", "source", "", ""),
    (22, "bob", "source", "", "The city's 2024 rent index, table 3."),
    (24, "carol", "other", "Does the legal aid cover appeals too?", ""),
]  # fmt: skip

ENDORSEMENTS = {
    0: ["carol", "erin", "heidi", "frank"], 1: ["alice", "dave", "heidi"], 2: ["grace"],
    5: ["carol"], 10: ["alice", "bob", "grace", "heidi"], 13: ["alice", "bob", "carol", "erin"],
    19: ["bob", "dave", "erin"], 22: ["alice", "dave", "heidi"], 23: ["erin"],
    29: ["alice", "bob", "carol", "dave", "frank"],
}  # fmt: skip


def seed(organisation: Any, people: dict[str, Any]) -> None:
    if AgendaItem.objects.filter(organisation=organisation, title=TITLE).exists():
        return
    item = services.agenda_item_open(
        user=people["alice"], organisation=organisation, title=TITLE,
        motion_title=MOTIONS[0][1], text=MOTIONS[0][2],
    )  # fmt: skip
    motions = [item.motions.get()]
    for author, title, text in MOTIONS[1:]:
        motions.append(
            services.motion_file_alternative(user=people[author], item=item, title=title, text=text)
        )
    for index, names in ((0, ["bob", "erin", "heidi"]), (1, ["carol", "grace"]), (2, ["grace"])):
        for name in names:
            services.motion_support(user=people[name], motion=motions[index])
    _amendments(motions[0], people)
    arguments: list[Any] = []
    for motion_index, author, stance, text, parent in ARGUMENTS:
        arguments.append(
            services.argument_add(
                user=people[author],
                motion=motions[motion_index],
                stance=stance,
                text=text,
                parent=arguments[parent] if parent is not None else None,
            )  # fmt: skip
        )
    for index, challenger, kind, text, answer in CHALLENGES:
        challenge = services.argument_challenge(
            user=people[challenger], argument=arguments[index], kind=kind, text=text
        )
        if answer:
            author = ARGUMENTS[index][1]
            services.challenge_answer(user=people[author], challenge=challenge, answer=answer)
    for index, names in ENDORSEMENTS.items():
        for name in names:
            services.argument_endorse(user=people[name], argument=arguments[index])
    _questions(organisation, people, item, motions, arguments)


def _amendments(motion: Any, people: dict[str, Any]) -> None:
    adopted = services.suggestion_file(
        user=people["carol"], motion=motion,
        text=MOTIONS[0][2].replace("until the landlord agrees to negotiate",
                                   "until the landlord agrees in writing to negotiate"),
        explanation="A verbal promise ended the 2019 strike too early.",
    )  # fmt: skip
    services.suggestion_rate(user=people["bob"], suggestion=adopted, rating="must")
    services.suggestion_rate(user=people["heidi"], suggestion=adopted, rating="should")
    services.suggestion_adopt(
        user=people["alice"], suggestion=adopted, reason="Yes: we learnt that in 2019."
    )
    declined = services.suggestion_file(
        user=people["erin"], motion=motion,
        text=motion.versions.order_by("-number").first().text.replace("1 March", "1 February"),
        explanation="Every month we wait is a month of the rise paid.",
    )  # fmt: skip
    services.suggestion_rate(user=people["erin"], suggestion=declined, rating="must")
    services.suggestion_rate(user=people["heidi"], suggestion=declined, rating="should_not")
    services.suggestion_decline(
        user=people["alice"], suggestion=declined,
        reason="Households need a month's notice to set up the escrow payments.",
    )  # fmt: skip
    services.suggestion_file(
        user=people["heidi"], motion=motion,
        text=motion.versions.order_by("-number").first().text
        + "\n- Members on short tenancies may pay the rise under protest instead.",
        explanation="So that nobody is forced to choose between the union and their home.",
    )  # fmt: skip


def _questions(
    organisation: Any, people: dict[str, Any], item: Any, motions: list[Any], arguments: list[Any]
) -> None:
    lawful = services.question_file(
        user=people["grace"], organisation=organisation,
        title="Is the 9 % rise lawful under our tenancy agreements?",
        text="Most agreements date from 2016; some have an indexation clause, some do not.",
        links=[("item", item.pk), ("motion", motions[2].pk)],
    )  # fmt: skip
    services.question_status_set(user=people["heidi"], question=lawful, status="studying")
    services.question_file(
        user=people["carol"], organisation=organisation,
        title="How many households could withhold rent without risking eviction?",
        links=[("argument", arguments[1].pk)],
    )  # fmt: skip
    refurbishment = services.question_file(
        user=people["dave"], organisation=organisation,
        title="Does the 2023 refurbishment justify any rise?",
        links=[("motion", motions[1].pk)],
    )  # fmt: skip
    services.question_status_set(
        user=people["frank"], question=refurbishment, status="answered",
        answer_link="https://example.org/riverside/refurbishment-costs-2023",
    )  # fmt: skip
    federation = services.question_file(
        user=people["erin"], organisation=organisation,
        title="Should we join the city-wide tenants' federation?",
    )  # fmt: skip
    services.question_status_set(
        user=people["bob"], question=federation, status="set_aside",
        reason="Out of scope for this item; on the agenda of the annual meeting.",
    )  # fmt: skip
