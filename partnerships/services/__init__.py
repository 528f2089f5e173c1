"""State changes of programmes' partnerships, agreements and check-ins.

Each function is named ``<entity>_<action>``, takes keyword-only arguments and the acting
user as ``by``, checks the rules of the partnership model, and records an Activity.
"""

from partnerships.services.agreements import agreement_in_force, agreement_propose, agreement_sign
from partnerships.services.checkins import (
    checkin_set_agenda,
    checkin_start,
    feedback_give,
    reflection_write,
)
from partnerships.services.lifecycle import (
    closing_reflection_write,
    partnership_activate,
    partnership_complete,
    partnership_create,
    partnership_end,
    partnership_pause,
    partnership_resume,
)

__all__ = [
    "agreement_in_force",
    "agreement_propose",
    "agreement_sign",
    "checkin_set_agenda",
    "checkin_start",
    "closing_reflection_write",
    "feedback_give",
    "partnership_activate",
    "partnership_complete",
    "partnership_create",
    "partnership_end",
    "partnership_pause",
    "partnership_resume",
    "reflection_write",
]
