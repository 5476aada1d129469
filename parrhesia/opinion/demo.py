"""The demo's conversation: the Riverside estate's rent strike, voted on by its eight members.

Two camps show on the map: those for striking now (carol, dave, erin, frank) and those for
negotiating first (bob, grace, heidi, with alice mostly with them). With eight participants the
engine, faithful to Polis, considers only k = 2 (it tries up to 2 + ⌊base clusters / 12⌋
groups), so the demo shows two groups; a third needs at least twelve participants, and the demo
has no more members (``parrhesia.demo.demo_usernames``).
"""

from __future__ import annotations

from typing import Any

from parrhesia.opinion import services
from parrhesia.opinion.analysis import analysis_loop
from parrhesia.opinion.models import Conversation

TOPIC = "The rent strike: withhold the September rent rise?"
DESCRIPTION = (
    "The landlord announced a 9 % rent rise from September while the lifts of blocks B and D "
    "have been out for months. Before the general meeting votes, say what you think and vote on "
    "what others say: the map shows where we agree and where we split."
)
# text, stance of the strike-now camp, stance of the negotiate-first camp (1 agree, -1
# disagree, 0 pass); the first six are the seed statements.
STATEMENTS = [
    ("The landlord must repair the lifts before any rent rise.", 1, 1),
    ("We should withhold the rent rise from September, all together.", 1, -1),
    ("We should ask the council's housing officer to mediate first.", -1, 1),
    ("A strike only works if at least half the flats take part.", 0, 1),
    ("Withholding rent puts tenants on short leases at risk of eviction.", -1, 1),
    ("The union should keep withheld rent in a separate escrow account.", 1, 1),
    ("The landlord has ignored every letter for two years; talking is over.", 1, -1),
    ("We need a lawyer's opinion before anyone withholds a penny.", -1, 1),
    ("Elderly tenants on the upper floors should be consulted first.", 1, 1),
    ("We should go to the local press about the lifts now.", 1, 0),
    ("A petition to the landlord would be a waste of time.", 1, -1),
    ("The union should set up a hardship fund for tenants under pressure.", 1, 1),
    ("A 9 % rise is more than inflation and cannot be justified.", 1, 0),
    ("Striking will make the landlord sell to a worse owner.", -1, 1),
    ("We should hold the strike vote by secret ballot.", 0, 1),
    ("Rent strikes in other estates won repairs within months.", 1, -1),
    ("Let's agree on a deadline: if no repairs by August, we strike.", 1, 1),
    ("The stewards should negotiate, with a mandate from the general meeting.", -1, 1),
    ("Tenants who cannot risk it should not be pressured to join.", 1, 1),
    ("Repairs first, then we can talk about the rent.", 1, 0),
    ("The union is not strong enough yet for a strike.", -1, 1),
    ("We should contact the tenants' unions of the landlord's other estates.", 1, 1),
    ("Withholding only the rise, not the whole rent, keeps us within the law.", 1, 0),
    ("Could the meeting be held on a weekday evening so more can come?", 0, 0),
    ("Direct action now will get more people to join the union.", 1, -1),
]
META = 23  # the question about the meeting's time is about the process, not the strike
CAMPS = {
    "carol": 0,
    "dave": 0,
    "erin": 0,
    "frank": 0,
    "bob": 1,
    "grace": 1,
    "heidi": 1,
    "alice": 1,
}
# Who departs from their camp on which statement (a realistic few), and what each leaves unseen.
DEPARTURES = {
    ("alice", 1): 0,
    ("alice", 9): 1,
    ("frank", 4): 1,
    ("erin", 14): 1,
    ("grace", 12): 1,
    ("heidi", 22): -1,
    ("dave", 3): 1,
    ("alice", 12): 1,
}
UNSEEN = {"alice": {20, 21, 22, 24}, "carol": {22, 24}, "heidi": {24}}
AUTHORS = ["carol", "bob", "dave", "grace", "erin", "heidi", "frank", "alice"]


def seed(organisation: Any, people: dict[str, Any]) -> Conversation:
    existing = Conversation.objects.filter(organisation=organisation, topic=TOPIC).first()
    if existing is not None:
        return existing
    conversation = services.conversation_open(
        user=people["bob"],
        organisation=organisation,
        topic=TOPIC,
        description=DESCRIPTION,
        seed_statements=[text for text, _, _ in STATEMENTS[:6]],
    )
    for index, (text, _, _) in enumerate(STATEMENTS[6:], start=6):
        author = people[AUTHORS[index % len(AUTHORS)]]
        services.statement_add(user=author, conversation=conversation, text=text)
    statements = list(conversation.statements.order_by("number"))
    services.statement_mark(
        user=people["bob"],
        statement=statements[META],
        mark="meta",
        reason="About how we meet, not about the strike: I will put it to the stewards.",
    )
    for username, camp in CAMPS.items():
        for index, statement in enumerate(statements):
            if index in UNSEEN.get(username, set()):
                continue
            value = DEPARTURES.get((username, index), STATEMENTS[index][1 + camp])
            services.statement_vote(user=people[username], statement=statement, value=value)
    # Two members changed their minds after the lawyer's opinion was discussed.
    services.statement_vote(user=people["frank"], statement=statements[7], value=1)
    services.statement_vote(user=people["grace"], statement=statements[13], value=0)
    analysis_loop(conversation.pk)
    return conversation
