"""The agreement's notice and its box agree: proposing a version does not sign it, so
after Maya proposes, both say it waits for both signatures, and her own "sign" is asked
for; after Amara signs it waits for Maya's only."""

from django.urls import reverse

from partnerships import services


def test_the_proposers_notice_and_the_box_say_the_same(client, partnership, mentor, mentee):
    client.force_login(mentee)
    response = client.post(
        reverse("partnerships:agreement_propose", args=[partnership.code]),
        {
            "agreement-checkin_cadence_days": "14",
            "agreement-channels": "Video",
            "agreement-response_time": "A day",
            "agreement-confidentiality": "Between us",
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "Sign it too when you are ready" in page
    assert "once you and Mara have both signed it" in page
    assert "Waiting for Mara's and your signature." in page
    assert "Proposing a version does not sign it: sign it below when you are ready." in page
    assert "in force once Mara signs it too" not in page
    agreement = partnership.agreements.get()
    services.agreement_sign(agreement=agreement, by=mentor)
    page = client.get(reverse("partnerships:workspace", args=[partnership.code])).content
    page = page.decode()
    assert "Waiting for your signature." in page
    assert "Sign version 1" in page
