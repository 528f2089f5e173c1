"""Goal actions: create, propose, adopt, revise (with conflicts), next steps.

The services decide who may do what; a partner who tries something their role does not
allow gets 403, anyone outside the partnership 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from goals import services
from goals.access import get_goal_for, get_next_step_for, get_proposal_for
from goals.models import Goal, GoalRevision, NextStep, ProgressRating
from goals.progress import progress_seen_by
from partnerships.access import get_partnership_for
from partnerships.models.participant import Role
from workspace.forms.goals import DecisionForm, GoalChangeProposalForm, GoalEditForm, GoalForm
from workspace.forms.partnership import NextStepForm
from workspace.page import Workspace, goals_for
from workspace.progress_chart import progress_chart
from workspace.views.common import action_done, action_failed, add_service_error, render_sections

GOAL_PAGE = "goals/goal.html"
# A goal that appears, goes or changes also changes what the check-in forms ask to review.
GOAL_SECTIONS = ("goals", "attention", "checkins")


@login_required
@require_POST
def goal_create(request, code, owner):
    """Mentee: a goal of their own. Mentor: a proposal for the mentee, or a learning goal."""
    if owner not in Role.values:
        raise Http404
    partnership = get_partnership_for(request.user, code)
    form = GoalForm(request.POST, prefix=f"goal-{owner}")
    if form.is_valid():
        try:
            goal = services.goal_create(
                partnership=partnership, by=request.user, owner_role=owner, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if goal.status == Goal.Status.PROPOSED:
                notice = (
                    f"You proposed “{goal.title}”. "
                    f"{partnership.mentee.user.get_short_name()} decides whether to adopt it."
                )
            else:
                notice = f"Goal “{goal.title}” added."
            return action_done(request, partnership, sections=GOAL_SECTIONS, notice=notice)
    ws = Workspace(partnership=partnership, user=request.user)
    # A read-only partnership shows no form, so its refusal goes at the top of the section.
    errors = {} if ws.workable else {"goals_error": form.non_field_errors()}
    return action_failed(request, ws, section="goals", **{f"{owner}_goal_form": form}, **errors)


def _goal_context(request, goal, **overrides):
    goal = (
        goals_for(goal.partnership)
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=GoalRevision.objects.select_related("author").order_by("-goal_version"),
                to_attr="timeline",
            ),
            Prefetch("next_steps", queryset=NextStep.objects.select_related("owner")),
        )
        .get(pk=goal.pk)
    )
    ws_role = goal.partnership.role_of(request.user)
    is_owner = ws_role == goal.owner_role
    workable = goal.partnership.is_workable
    context = {
        "goal": goal,
        "partnership": goal.partnership,
        "partner": goal.partnership.partner_of(request.user),
        "is_owner": is_owner,
        "is_mentee": ws_role == Role.MENTEE,
        "can_edit": is_owner and workable and goal.status != Goal.Status.PROPOSED,
        "can_propose": ws_role == Role.MENTOR
        and goal.owner_role == Role.MENTEE
        and workable
        and goal.status == Goal.Status.ACTIVE,
        "reviews": goal.reviews.select_related("checkin", "author").order_by("-checkin__held_on"),
    }
    points = progress_seen_by(
        ProgressRating.objects.filter(goal=goal).select_related("checkin", "author"), request.user
    )
    owner, partner = goal.owner, goal.partnership.partner_of(goal.owner)
    context["progress"] = points
    context["progress_chart"] = progress_chart(
        points,
        owner_name="You" if owner == request.user else owner.get_short_name(),
        partner_name="You" if partner == request.user else partner.get_short_name(),
    )
    context["owner_name"] = owner.get_short_name()
    context["partner_name"] = partner.get_short_name()
    if context["can_edit"]:
        context["edit_form"] = GoalEditForm(goal=goal)
    if context["can_propose"]:
        context["propose_form"] = GoalChangeProposalForm(goal=goal)
    context.update(overrides)
    return context


@login_required
@require_GET
def goal_detail(request, code):
    """A goal and its timeline: every revision with what changed, who, when and why."""
    goal = get_goal_for(request.user, code)
    return render(request, GOAL_PAGE, _goal_context(request, goal))


def _goal_done(request, goal, notice):
    if request.htmx:
        context = _goal_context(request, goal, notice=notice)
        return render_sections(request, context, ("goal",), template=GOAL_PAGE)
    messages.success(request, notice)
    return redirect("goals:detail", code=goal.code)


def _goal_failed(request, goal, *, status=422, **overrides):
    context = _goal_context(request, goal, **overrides)
    if request.htmx:
        return render_sections(request, context, ("goal",), template=GOAL_PAGE)
    return render(request, GOAL_PAGE, context, status=status)


@login_required
@require_POST
def goal_edit(request, code):
    """The owner revises their goal; a save over someone else's newer save is a conflict."""
    goal = get_goal_for(request.user, code)
    form = GoalEditForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_revise(
                goal=goal,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except services.GoalEditConflict as conflict:
            # Keep what they typed, but rebase it on the version now saved, so that saving
            # again is a knowing choice rather than a silent overwrite.
            data = request.POST.copy()
            data["version"] = str(conflict.current.version)
            rebased = GoalEditForm(data, goal=conflict.current)
            rebased.is_valid()
            theirs = conflict.current
            return _goal_failed(
                request,
                goal,
                status=409,
                edit_form=rebased,
                conflict={
                    "theirs": theirs,
                    "last_revision": theirs.revisions.select_related("author").last(),
                    "mine": form.cleaned_data,
                },
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _goal_done(request, goal, "Saved. The change is in the goal's history.")
    return _goal_failed(request, goal, edit_form=form)


@login_required
@require_POST
def goal_change_propose(request, code):
    goal = get_goal_for(request.user, code)
    form = GoalChangeProposalForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.goal_change_propose(
                goal=goal, by=request.user, reason=form.cleaned_data["reason"], **form.changes()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            mentee = goal.partnership.mentee.user.get_short_name()
            return _goal_done(
                request, goal, f"Change proposed. {mentee} decides whether to adopt it."
            )
    return _goal_failed(request, goal, propose_form=form)


def _decide(request, goal, *, action, notice):
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        action(goal=goal, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        ws = Workspace(partnership=goal.partnership, user=request.user)
        return action_failed(request, ws, section="goals", goals_error=error.messages)
    return action_done(request, goal.partnership, sections=GOAL_SECTIONS, notice=notice)


@login_required
@require_POST
def goal_adopt(request, code):
    goal = get_goal_for(request.user, code)
    return _decide(
        request, goal, action=services.goal_adopt, notice=f"“{goal.title}” is now your goal."
    )


@login_required
@require_POST
def goal_decline(request, code):
    goal = get_goal_for(request.user, code)
    return _decide(
        request, goal, action=services.goal_decline, notice=f"You declined “{goal.title}”."
    )


def _proposal_decided(request, proposal, *, action, notice, **arguments):
    try:
        action(proposal=proposal, by=request.user, **arguments)
    except ValidationError as error:
        ws = Workspace(partnership=proposal.goal.partnership, user=request.user)
        return action_failed(request, ws, section="goals", goals_error=error.messages)
    return action_done(request, proposal.goal.partnership, sections=GOAL_SECTIONS, notice=notice)


@login_required
@require_POST
def proposal_adopt(request, code):
    proposal = get_proposal_for(request.user, code)
    # The goal's version the mentee saw beside the proposal: adopting a proposal made
    # against an older version needs it (the services refuse a silent overwrite).
    seen = request.POST.get("seen_version", "")
    return _proposal_decided(
        request,
        proposal,
        action=services.goal_change_adopt,
        notice=f"You adopted the change to “{proposal.goal.title}”.",
        seen_version=int(seen) if seen.isdigit() and len(seen) < 10 else None,
    )


@login_required
@require_POST
def proposal_decline(request, code):
    proposal = get_proposal_for(request.user, code)
    return _proposal_decided(
        request,
        proposal,
        action=services.goal_change_decline,
        notice=f"You declined the change to “{proposal.goal.title}”.",
    )


@login_required
@require_POST
def next_step_create(request, code):
    goal = get_goal_for(request.user, code)
    partnership = goal.partnership
    form = NextStepForm(
        request.POST, partnership=partnership, user=request.user, prefix=f"step-{goal.code}"
    )
    if form.is_valid():
        try:
            services.next_step_create(
                partnership=partnership, by=request.user, goal=goal, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return action_done(
                request,
                partnership,
                sections=("goals", "attention"),
                notice="Next step added.",
                anchor=f"goal-{goal.code}",
            )
    ws = Workspace(partnership=partnership, user=request.user)
    return action_failed(request, ws, section="goals", step_form_for={goal.pk: form})


@login_required
@require_POST
def next_step_set_done(request, code):
    step = get_next_step_for(request.user, code)
    done = request.POST.get("done") == "1"
    try:
        services.next_step_set_done(step=step, by=request.user, done=done)
    except ValidationError as error:
        ws = Workspace(partnership=step.partnership, user=request.user)
        return action_failed(request, ws, section="goals", goals_error=error.messages)
    return action_done(
        request,
        step.partnership,
        sections=("goals", "attention"),
        notice=f"“{step.description}” is {'done' if done else 'open again'}.",
        anchor=f"goal-{step.goal.code}" if step.goal_id else "goals",
    )
