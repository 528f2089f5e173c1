"""Reference pages for `make bench`, mounted only when benchmarking (bench/urls.py)."""

import re

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import render

from partnerships.access import get_partnership_for
from workspace.views.workspace import workspace


@login_required
def bench_baseline(request):
    """Django's ceiling for `make bench`: login, middleware and the base template, no data."""
    return render(request, "bench_baseline.html")


@login_required
def bench_page_cache(request, code):
    """A second reference for `make bench`: the workspace as a full-page cache would serve it.

    The membership check still runs; the page itself is rendered once and then read from
    the cache, with this response's CSRF token and CSP nonce put in. It shows how fast a
    partner page could be with no rendering at all, so the benchmark can tell what caching
    would buy.
    """
    partnership = get_partnership_for(request.user, code)
    key = f"bench:page-cache:{partnership.pk}:{request.user.pk}"
    cached = cache.get(key)
    if cached is None:
        html = workspace(request, code).content.decode()
        # Each get_token() masks the secret afresh: take the one the page was rendered with.
        token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        cached = (html, token, str(get_nonce(request)))
        cache.set(key, cached, timeout=600)
    html, token, nonce = cached
    html = html.replace(token, get_token(request)).replace(nonce, str(get_nonce(request)))
    return HttpResponse(html)
