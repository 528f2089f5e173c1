"""The Coordinators group: staff who run their own programmes from the admin site."""

from django.contrib.auth.models import Group, Permission

COORDINATORS_GROUP = "Coordinators"

# (app_label, model): the actions coordinators may take. Scoping to *their* programmes
# is done by the admin classes; this only says which kinds of object they handle.
COORDINATOR_PERMISSIONS = {
    ("partnerships", "programme"): ("view", "add", "change"),
    ("partnerships", "participant"): ("view", "add", "change", "delete"),
    ("partnerships", "partnership"): ("view", "add", "change"),
    ("partnerships", "agreement"): ("view",),
    ("partnerships", "checkin"): ("view",),
    ("partnerships", "feedback"): ("view",),
    ("partnerships", "activity"): ("view",),
    ("partnerships", "invitation"): ("view", "add"),
    ("partnerships", "matchrequest"): ("view",),
    ("partnerships", "matchanswer"): ("view",),  # accepted, or declined with a category
    ("partnerships", "coordinatoraction"): ("view",),
    # A programme's surveys and their questions (templates: read and copied only).
    ("partnerships", "survey"): ("view", "add", "change", "delete"),
    ("partnerships", "surveyquestion"): ("view", "add", "change", "delete"),
    # Sign-up: its settings and questions on the programme's page; applications are read,
    # then approved or declined (change: the actions), never edited.
    ("partnerships", "programmeintake"): ("view", "add", "change"),
    ("partnerships", "signupquestion"): ("view", "add", "change", "delete"),
    ("partnerships", "application"): ("view", "change"),
    ("partnerships", "applicationanswer"): ("view",),
    ("partnerships", "reminder"): ("view", "change"),  # change: the resend action
    ("goals", "goal"): ("view",),
    ("goals", "goalrevision"): ("view",),
    # People are read, never changed: an email or password set by someone else is a
    # takeover. They join through invitations and change their own details.
    ("mentorship", "user"): ("view",),
}


def ensure_coordinators_group(**kwargs) -> Group:
    """Create or update the group after every migrate, so it always matches the code."""
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    wanted = [
        f"{action}_{model}"
        for (_app, model), actions in COORDINATOR_PERMISSIONS.items()
        for action in actions
    ]
    apps = {app for app, _model in COORDINATOR_PERMISSIONS}
    permissions = Permission.objects.filter(content_type__app_label__in=apps, codename__in=wanted)
    group.permissions.set(permissions)
    return group


def make_coordinator(user, *programmes) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(ensure_coordinators_group())
    for programme in programmes:
        programme.coordinators.add(user)
