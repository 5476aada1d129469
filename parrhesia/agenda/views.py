"""Deliberation pages. Views turn requests into service calls and service errors into messages
or form errors; every page works without JavaScript, htmx only swaps fragments in place."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parrhesia.agenda import cards, forms, search, selectors, services
from parrhesia.agenda.models import (
    AgendaItem,
    Argument,
    Challenge,
    Motion,
    Phase,
    Question,
    QuestionStatus,
    Suggestion,
)
from parrhesia.agenda.services import AgendaError
from parrhesia.agenda.texts import diff_counts, diff_html
from parrhesia.kernel.pages import org_page
from parrhesia.orgs.models import Organisation
from parrhesia.orgs.rules import active_membership
from parrhesia.tribunal.selectors import hidden_measures
from parrhesia.web.forms import form_submit


def _org(request: HttpRequest, slug: str, permission: str = "agenda.view") -> Organisation:
    return org_page(request, slug, permission)


def _context(request: HttpRequest, organisation: Organisation, **extra: Any) -> dict[str, Any]:
    motion = extra.get("motion")
    if isinstance(motion, Motion):  # a motion hidden by the tribunal is named by its number
        measures = hidden_measures("motion", [motion.pk])
        measure = measures.get(str(motion.pk))
        extra.setdefault("motion_measures", measures)
        extra.setdefault("motion_measure", measure)
        extra.setdefault(
            "motion_title",
            _("Motion #%(number)s") % {"number": motion.pk} if measure else motion.title,
        )
    return {
        "organisation": organisation,
        "membership": active_membership(request.user, organisation),
        **extra,
    }


def _item(organisation: Organisation, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("opened_by__user", "organisation"),
        pk=item_id,
        organisation=organisation,
    )


def _motion(organisation: Organisation, motion_id: int) -> Motion:
    return get_object_or_404(
        Motion.objects.select_related("item__organisation", "author__user"),
        pk=motion_id,
        item__organisation=organisation,
    )


def _argument(organisation: Organisation, argument_id: int) -> Argument:
    return get_object_or_404(
        Argument.objects.select_related("motion__item__organisation", "author__user", "parent"),
        pk=argument_id,
        motion__item__organisation=organisation,
    )


def _form_page(
    request: HttpRequest,
    organisation: Organisation,
    form: Any,
    *,
    heading: str,
    submit: str,
    back: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "agenda/form.html",
        _context(
            request, organisation, form=form, heading=heading, submit=submit, back=back, **extra
        ),
        status=status,
    )


# --- the agenda ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def agenda_index(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    items = list(selectors.items_of(organisation))
    open_items = [i for i in items if i.phase not in (Phase.DECIDED, Phase.LAPSED, Phase.WITHDRAWN)]
    closed = [i for i in items if i not in open_items]
    return render(
        request,
        "agenda/index.html",
        _context(
            request,
            organisation,
            open_items=open_items,
            closed_items=closed,
            search_form=forms.SearchForm(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_open(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "agenda.open_item")
    form = forms.ItemOpenForm(request.POST or None)
    submitted = form_submit(
        form, AgendaError, services.agenda_item_open, user=request.user, organisation=organisation
    )
    if submitted:
        item = submitted.value
        messages.success(request, _("The item is open. It needs supporters to be admitted."))
        return redirect("agenda:item", slug=slug, item_id=item.pk)
    policy = selectors.policy_for(organisation, "general")
    return _form_page(
        request, organisation, form,
        heading=_("Open an agenda item"), submit=_("Open the item"),
        back=reverse("agenda:index", args=[slug]), status=400 if form.errors else 200,
        intro=_(
            "Your motion needs the support of %(percent)s %% of the members within %(days)s days "
            "to be admitted to discussion."
        ) % {"percent": policy.admission_quorum_percent, "days": policy.admission_days},
    )  # fmt: skip


@require_http_methods(["GET"])
def item_detail(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    item = _item(organisation, item_id)
    member = active_membership(request.user, organisation)
    motions = selectors.motions_of(item)
    return render(
        request,
        "agenda/item.html",
        _context(
            request,
            organisation,
            item=item,
            motions=motions,
            # for {% tombstone_or "motion" motion motion_measures %} around each motion
            motion_measures=hidden_measures("motion", [m.pk for m in motions]),
            following=selectors.is_following(item, member),
            follow_ups=selectors.follow_ups_of(item),
            follow_up_form=forms.FollowUpForm(),
            open_questions=selectors.questions_left_open(item),
            phases=[Phase.ADMISSION, Phase.DISCUSSION, Phase.FROZEN, Phase.READY, Phase.VOTING,
                    Phase.DECIDED],
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_alternative(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    item = _item(organisation, item_id)
    form = forms.MotionForm(request.POST or None)
    submitted = form_submit(
        form, AgendaError, services.motion_file_alternative, user=request.user, item=item
    )
    if submitted:
        motion = submitted.value
        messages.success(request, _("Your alternative motion is filed."))
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    return _form_page(
        request, organisation, form,
        heading=_("File an alternative motion on “%(title)s”") % {"title": item.title},
        submit=_("File the alternative"), back=reverse("agenda:item", args=[slug, item.pk]),
        status=400 if form.errors else 200,
        intro=_("An alternative needs only the alternative quorum to reach the ballot."),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_phase(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.adjust_phase")
    item = _item(organisation, item_id)
    initial = (
        {"ends_at": item.phase_ends_at.astimezone(UTC).replace(tzinfo=None)}
        if item.phase_ends_at
        else {}
    )
    form = forms.PhaseAdjustForm(request.POST or None, initial=initial)
    submitted = form_submit(form, AgendaError, services.phase_adjust, user=request.user, item=item)
    if submitted:
        messages.success(request, _("The phase's end was moved; your reason is on the record."))
        return redirect("agenda:item", slug=slug, item_id=item.pk)
    return _form_page(
        request, organisation, form,
        heading=_("Shorten or extend the phase “%(phase)s”") % {"phase": item.get_phase_display()},
        submit=_("Move the end"), back=reverse("agenda:item", args=[slug, item.pk]),
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def item_follow_up(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.log_follow_up")
    item = _item(organisation, item_id)
    form = forms.FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise AgendaError(_("Choose a status and write the update."))
        services.follow_up_log(user=request.user, item=item, **form.cleaned_data)
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The update is logged."))
    return redirect(reverse("agenda:item", args=[slug, item.pk]) + "#follow-up")


@login_required
@require_POST
def item_follow(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    item = _item(organisation, item_id)
    follow = request.POST.get("follow") != "0"
    services.item_follow_set(user=request.user, item=item, follow=follow)
    messages.success(
        request, _("You follow this item.") if follow else _("You no longer follow this item.")
    )
    return redirect("agenda:item", slug=slug, item_id=item.pk)


# --- motions and amendments ------------------------------------------------------------------


@require_http_methods(["GET"])
def motion_detail(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    motion = _motion(organisation, motion_id)
    member = active_membership(request.user, organisation)
    versions = list(motion.versions.all())
    texts = {v.number: v.text for v in versions}
    suggestions = selectors.suggestions_of(motion, member)
    suggestion_measures = hidden_measures("suggestion", [s.pk for s in suggestions])
    for suggestion in suggestions:
        base = texts.get(suggestion.base_version, "")
        suggestion.diff = diff_html(base, suggestion.text)  # type: ignore[attr-defined]
        suggestion.hidden_measure = suggestion_measures.get(str(suggestion.pk))  # type: ignore[attr-defined]
    return render(
        request,
        "agenda/motion.html",
        _context(
            request,
            organisation,
            item=motion.item,
            motion=motion,
            current=versions[-1],
            versions=versions,
            supporters=list(selectors.supporters_of(motion)),
            supports=selectors.supports(motion, member),
            is_author=member is not None and motion.author_id == member.pk,
            suggestions=suggestions,
            suggestion_measures=suggestion_measures,
            rating_form=forms.RatingForm(),
        ),
    )


@login_required
@require_POST
def motion_support(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    motion = _motion(organisation, motion_id)
    try:
        services.motion_support(user=request.user, motion=motion)
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You support this motion."))
    return redirect("agenda:motion", slug=slug, motion_id=motion.pk)


@login_required
@require_http_methods(["GET", "POST"])
def motion_revise(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    motion = _motion(organisation, motion_id)
    member = active_membership(request.user, organisation)
    if member is None or motion.author_id != member.pk:
        raise PermissionDenied
    current = motion.versions.get(number=motion.version)
    form = forms.ReviseForm(request.POST or None, initial={"text": current.text})
    submitted = form_submit(
        form, AgendaError, services.motion_revise, user=request.user, motion=motion
    )
    if submitted:
        messages.success(request, _("The new version is published; the old one is kept."))
        return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    return _form_page(
        request, organisation, form,
        heading=_("Revise “%(title)s”") % {"title": motion.title},
        submit=_("Publish the new version"),
        back=reverse("agenda:motion", args=[slug, motion.pk]), status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def motion_withdraw(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    motion = _motion(organisation, motion_id)
    try:
        services.motion_withdraw(
            user=request.user, motion=motion, reason=request.POST.get("reason", "")
        )
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your motion is withdrawn; it stays visible as withdrawn."))
    return redirect("agenda:motion", slug=slug, motion_id=motion.pk)


@require_http_methods(["GET"])
def motion_diff(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    motion = _motion(organisation, motion_id)
    versions = {v.number: v for v in motion.versions.all()}
    try:
        old = versions[int(request.GET.get("from", motion.version - 1 or 1))]
        new = versions[int(request.GET.get("to", motion.version))]
    except (KeyError, ValueError):
        return render(
            request, "agenda/diff.html",
            _context(request, organisation, motion=motion, item=motion.item,
                     versions=sorted(versions.values(), key=lambda v: v.number),
                     error=_("There is no such version of this motion.")),
            status=400,
        )  # fmt: skip
    removed, added = diff_counts(old.text, new.text)
    return render(
        request,
        "agenda/diff.html",
        _context(
            request, organisation, motion=motion, item=motion.item, old=old, new=new,
            versions=sorted(versions.values(), key=lambda v: v.number),
            diff=diff_html(old.text, new.text), removed=removed, added=added,
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_new(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    motion = _motion(organisation, motion_id)
    current = motion.versions.get(number=motion.version)
    form = forms.SuggestionForm(request.POST or None, initial={"text": current.text})
    submitted = form_submit(
        form, AgendaError, services.suggestion_file, user=request.user, motion=motion
    )
    if submitted:
        suggestion = submitted.value
        messages.success(request, _("Your suggestion is filed; the motion's supporters rate it."))
        return redirect(
            reverse("agenda:motion", args=[slug, motion.pk]) + f"#suggestion-{suggestion.pk}"
        )
    return _form_page(
        request, organisation, form,
        heading=_("Suggest a change to “%(title)s”") % {"title": motion.title},
        submit=_("File the suggestion"), back=reverse("agenda:motion", args=[slug, motion.pk]),
        status=400 if form.errors else 200,
    )  # fmt: skip


def _suggestion(organisation: Organisation, suggestion_id: int) -> Suggestion:
    return get_object_or_404(
        Suggestion.objects.select_related("motion__item__organisation", "author__user"),
        pk=suggestion_id,
        motion__item__organisation=organisation,
    )


@login_required
@require_POST
def suggestion_rate(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    suggestion = _suggestion(organisation, suggestion_id)
    try:
        services.suggestion_rate(
            user=request.user, suggestion=suggestion, rating=request.POST.get("rating", "")
        )
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your rating is recorded."))
    url = reverse("agenda:motion", args=[slug, suggestion.motion_id])
    return redirect(f"{url}#suggestion-{suggestion.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_decide(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    suggestion = _suggestion(organisation, suggestion_id)
    motion = suggestion.motion
    member = active_membership(request.user, organisation)
    if member is None or motion.author_id != member.pk:
        raise PermissionDenied
    form = forms.SuggestionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "adopt":
                services.suggestion_adopt(
                    user=request.user, suggestion=suggestion, reason=data["reason"]
                )
            else:
                services.suggestion_decline(
                    user=request.user, suggestion=suggestion, reason=data["reason"]
                )
        except AgendaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your decision and its reason are public."))
            return redirect("agenda:motion", slug=slug, motion_id=motion.pk)
    base = motion.versions.get(number=suggestion.base_version)
    return _form_page(
        request, organisation, form,
        heading=_("Adopt or decline suggestion #%(number)s") % {"number": suggestion.pk},
        submit=_("Decide"), back=reverse("agenda:motion", args=[slug, motion.pk]),
        status=400 if form.errors else 200, diff=diff_html(base.text, suggestion.text),
    )  # fmt: skip


# --- the argument map ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def argument_map(request: HttpRequest, slug: str, motion_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    motion = _motion(organisation, motion_id)
    form = forms.ArgumentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if not request.user.has_perm("agenda.take_part", organisation):
            raise PermissionDenied
        submitted = form_submit(
            form, AgendaError, services.argument_add, user=request.user, motion=motion
        )
        if submitted:
            messages.success(request, _("Your argument is on the map."))
            url = reverse("agenda:arguments", args=[slug, motion.pk])
            return redirect(f"{url}#argument-{submitted.value.pk}")
    member = active_membership(request.user, organisation)
    arguments = selectors.argument_map(motion, member)
    hidden = cards.hidden_on_map(motion, arguments)
    can_report = request.user.has_perm("tribunal.report", organisation)
    words, member_id = cards.CardWords(request, slug, can_report), member.pk if member else None
    return render(
        request,
        "agenda/arguments.html",
        _context(
            request,
            organisation,
            item=motion.item,
            motion=motion,
            map=arguments,
            sides=[
                ("pro", cards.argument_cards(words, arguments.pro_flat, member_id, hidden)),
                ("con", cards.argument_cards(words, arguments.con_flat, member_id, hidden)),
            ],
            form=form,
        ),
        status=400 if form.errors else 200,
    )


def _argument_page(
    request: HttpRequest, organisation: Organisation, argument: Argument, status: int = 200,
    **forms_given: Any,
) -> HttpResponse:  # fmt: skip
    member = active_membership(request.user, organisation)
    replies = list(argument.replies.select_related("author__user").order_by("id"))
    challenges = list(selectors.challenges_of(argument))
    measures = hidden_measures("argument", [argument.pk, *(reply.pk for reply in replies)])
    challenge_measures = hidden_measures("challenge", [c.pk for c in challenges])
    for challenge in challenges:
        challenge.hidden_measure = challenge_measures.get(str(challenge.pk))  # type: ignore[attr-defined]
    return render(
        request,
        "agenda/argument.html",
        _context(
            request,
            organisation,
            item=argument.motion.item,
            motion=argument.motion,
            argument=argument,
            is_author=member is not None and argument.author_id == member.pk,
            replies=replies,
            challenges=challenges,
            argument_measures=measures,
            argument_measure=measures.get(str(argument.pk)),
            challenge_measures=challenge_measures,
            revisions=argument.revisions.all(),
            endorsements=argument.endorsements.count(),
            reply_form=forms_given.get("reply_form") or forms.ReplyForm(),
            challenge_form=forms_given.get("challenge_form") or forms.ChallengeForm(),
            answer_form=forms_given.get("answer_form") or forms.AnswerForm(),
            answer_error_for=forms_given.get("answer_error_for"),
        ),
        status=status,
    )


@require_http_methods(["GET"])
def argument_detail(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    return _argument_page(request, organisation, _argument(organisation, argument_id))


@login_required
@require_POST
def argument_reply(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    parent = _argument(organisation, argument_id)
    form = forms.ReplyForm(request.POST)
    submitted = form_submit(
        form, AgendaError, services.argument_add,
        user=request.user, motion=parent.motion, parent=parent,
    )
    if submitted:
        reply = submitted.value
        messages.success(request, _("Your reply is on the map."))
        return redirect("agenda:argument", slug=slug, argument_id=reply.pk)
    return _argument_page(request, organisation, parent, status=400, reply_form=form)


@login_required
@require_POST
def argument_challenge(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    argument = _argument(organisation, argument_id)
    form = forms.ChallengeForm(request.POST)
    submitted = form_submit(
        form, AgendaError, services.argument_challenge, user=request.user, argument=argument
    )
    if submitted:
        messages.success(request, _("Your challenge is attached; the author is told."))
        return redirect(reverse("agenda:argument", args=[slug, argument.pk]) + "#challenges")
    return _argument_page(request, organisation, argument, status=400, challenge_form=form)


@login_required
@require_POST
def challenge_answer(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    challenge = get_object_or_404(
        Challenge.objects.select_related("argument__motion__item__organisation", "author__user"),
        pk=challenge_id,
        argument__motion__item__organisation=organisation,
    )
    form = forms.AnswerForm(request.POST)
    submitted = form_submit(
        form, AgendaError, services.challenge_answer, user=request.user, challenge=challenge
    )
    if submitted:
        messages.success(request, _("Your answer is attached to the challenge."))
        url = reverse("agenda:argument", args=[slug, challenge.argument_id])
        return redirect(f"{url}#challenge-{challenge.pk}")
    return _argument_page(
        request, organisation, challenge.argument, status=400,
        answer_form=form, answer_error_for=challenge.pk,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def argument_revise(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    argument = _argument(organisation, argument_id)
    member = active_membership(request.user, organisation)
    if member is None or argument.author_id != member.pk:
        raise PermissionDenied
    form = forms.ArgumentReviseForm(request.POST or None, initial={"text": argument.text})
    submitted = form_submit(
        form, AgendaError, services.argument_revise, user=request.user, argument=argument
    )
    if submitted:
        messages.success(request, _("Your argument is revised; its history is kept."))
        return redirect("agenda:argument", slug=slug, argument_id=argument.pk)
    return _form_page(
        request, organisation, form, heading=_("Revise your argument"),
        submit=_("Publish the revision"), back=reverse("agenda:argument", args=[slug, argument.pk]),
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def argument_withdraw(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    argument = _argument(organisation, argument_id)
    try:
        services.argument_withdraw(user=request.user, argument=argument)
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your argument is withdrawn; a tombstone marks its place."))
    return redirect("agenda:argument", slug=slug, argument_id=argument.pk)


@login_required
@require_POST
def suggestion_withdraw(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    suggestion = _suggestion(organisation, suggestion_id)
    try:
        services.suggestion_withdraw(user=request.user, suggestion=suggestion)
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your suggestion is withdrawn; a tombstone marks its place."))
    return redirect(
        f"{reverse('agenda:motion', args=[slug, suggestion.motion_id])}#suggestion-{suggestion.pk}"
    )


@login_required
@require_POST
def question_withdraw(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    question = _question(organisation, question_id)
    try:
        services.question_withdraw(user=request.user, question=question)
    except AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your question is withdrawn; a tombstone marks its place."))
    return redirect("agenda:question", slug=slug, question_id=question.pk)


@login_required
@require_POST
def argument_endorse(request: HttpRequest, slug: str, argument_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.take_part")
    argument = _argument(organisation, argument_id)
    strong = request.POST.get("strong", "1") != "0"
    error = None
    try:
        strong = services.argument_endorse(user=request.user, argument=argument, strong=strong)
    except AgendaError as problem:
        error, strong = str(problem), not strong
    if request.headers.get("HX-Request") == "true":  # swap the one button in place
        words = cards.CardWords(request, slug)
        count = argument.endorsements.count()
        return HttpResponse(cards.endorse_form(words, argument.pk, strong, count, error or ""))
    if error:
        messages.error(request, error)
    url = reverse("agenda:arguments", args=[slug, argument.motion_id])
    return redirect(f"{url}#argument-{argument.pk}")


# --- open questions --------------------------------------------------------------------------


@require_http_methods(["GET"])
def question_register(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    status = request.GET.get("status", "")
    if status not in QuestionStatus.values:
        status = ""
    questions = list(selectors.questions_register(organisation, status))
    return render(
        request,
        "agenda/questions.html",
        _context(
            request,
            organisation,
            questions=questions,
            question_measures=hidden_measures("question", [q.pk for q in questions]),
            status=status,
            statuses=QuestionStatus.choices,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "agenda.file_question")
    initial = {"link_kind": request.GET.get("kind", ""), "link_id": request.GET.get("id")}
    form = forms.QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        links = [(data["link_kind"], data["link_id"])] if data["link_kind"] else []
        try:
            question = services.question_file(
                user=request.user, organisation=organisation, title=data["title"],
                text=data["text"], links=links,
            )  # fmt: skip
        except AgendaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is in the register."))
            return redirect("agenda:question", slug=slug, question_id=question.pk)
    return _form_page(
        request, organisation, form,
        heading=_("File an open question"), submit=_("File the question"),
        back=reverse("agenda:questions", args=[slug]), status=400 if form.errors else 200,
        intro=_("Something the organisation does not know yet and should find out."),
    )  # fmt: skip


def _question(organisation: Organisation, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("author__user", "studied_by__user"),
        pk=question_id,
        organisation=organisation,
    )


def _question_page(
    request: HttpRequest, organisation: Organisation, question: Question, status: int = 200,
    **forms_given: Any,
) -> HttpResponse:  # fmt: skip
    measures = hidden_measures("question", [question.pk])
    return render(
        request,
        "agenda/question.html",
        _context(
            request,
            organisation,
            question=question,
            question_measures=measures,
            question_measure=measures.get(str(question.pk)),
            links=question.links.all(),
            status_form=forms_given.get("status_form") or forms.QuestionStatusForm(),
            link_form=forms_given.get("link_form") or forms.QuestionLinkForm(),
        ),
        status=status,
    )


@require_http_methods(["GET"])
def question_detail(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = _org(request, slug)
    return _question_page(request, organisation, _question(organisation, question_id))


@login_required
@require_POST
def question_status(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.study_question")
    question = _question(organisation, question_id)
    form = forms.QuestionStatusForm(request.POST)
    submitted = form_submit(
        form, AgendaError, services.question_status_set, user=request.user, question=question
    )
    if submitted:
        messages.success(request, _("The question's status is changed and recorded."))
        return redirect("agenda:question", slug=slug, question_id=question.pk)
    return _question_page(request, organisation, question, status=400, status_form=form)


@login_required
@require_POST
def question_link(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    organisation = _org(request, slug, "agenda.file_question")
    question = _question(organisation, question_id)
    form = forms.QuestionLinkForm(request.POST)
    submitted = form_submit(
        form, AgendaError, services.question_link, user=request.user, question=question
    )
    if submitted:
        messages.success(request, _("The link is added."))
        return redirect("agenda:question", slug=slug, question_id=question.pk)
    return _question_page(request, organisation, question, status=400, link_form=form)


# --- search, policy -----------------------------------------------------------


@require_http_methods(["GET"])
def agenda_search(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug)
    form = forms.SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        hits = search.search(organisation, form.cleaned_data["q"])
    links = {
        "item": "agenda:item", "motion": "agenda:motion", "argument": "agenda:argument",
        "question": "agenda:question",
    }  # fmt: skip
    results = [(hit, reverse(links[hit.kind], args=[slug, hit.object_id])) for hit in hits]
    # Hidden content is not found by its words: the hit stays, as a link to its tombstone.
    hidden = {
        kind: hidden_measures(kind, [h.object_id for h in hits if h.kind == kind])
        for kind in ("motion", "argument", "question")
    }
    shown = [
        (hit, url, hidden[hit.kind].get(str(hit.object_id)) if hit.kind in hidden else None)
        for hit, url in results
    ]
    return render(
        request,
        "agenda/search.html",
        _context(request, organisation, form=form, results=shown, searched=form.is_bound),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _org(request, slug, "agenda.set_policy")
    item_type = request.POST.get("item_type") or request.GET.get("type") or "general"
    policy = selectors.policy_for(organisation, item_type)
    initial = {
        field: getattr(policy, field)
        for field in ("item_type", "admission_days", "admission_quorum_percent",
                      "alternative_quorum_percent", "discussion_days", "frozen_days")
    }  # fmt: skip
    form = forms.PolicyForm(request.POST or None, initial=initial)
    submitted = form_submit(
        form, AgendaError, services.policy_set, user=request.user, organisation=organisation
    )
    if submitted:
        messages.success(request, _("The policy is saved; it applies to items opened from now."))
        return redirect("agenda:index", slug=slug)
    return _form_page(
        request, organisation, form,
        heading=_("Phases and quorums"), submit=_("Save the policy"),
        back=reverse("agenda:index", args=[slug]), status=400 if form.errors else 200,
        intro=_("Each item copies the policy of its type when it is opened."),
    )  # fmt: skip
