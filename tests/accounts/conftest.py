"""The account tests' clock, frozen now and moved by hand: an authenticator code changes every
30 seconds and a wrong one slows the next try, so the two-factor tests step time themselves."""

import pytest
import time_machine
from django.utils import timezone


@pytest.fixture
def frozen_clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller
