from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone

from coordinators.admin.pages import page_context, programme_for
from coordinators.programme_dashboard import programme_overview
from goals.health import LOW_RATING, MISSED_FOR_ONE_SIDED, health_in_order
from partnerships.models import CoordinatorAccess
from partnerships.services.coordinator_access import coordinator_access_record

# The riskiest come first, so the first page is what needs attention; a programme of
# thousands renders one page of rows, not all of them.
HEALTH_PAGE_SIZE = 50


def dashboard_view(modeladmin, request, object_id):
    """The programme at a glance: statuses, check-ins per week, and who needs help and why."""
    programme = programme_for(modeladmin, request, object_id)
    today = timezone.localdate()
    overview = programme_overview(programme, today=today)
    paginator = Paginator(overview.ranked, HEALTH_PAGE_SIZE)
    paginator.count = overview.total  # already counted with the statuses
    health_page = paginator.get_page(request.GET.get("page"))
    health_page.object_list = health_in_order(list(health_page.object_list), today=today)
    coordinator_access_record(
        coordinator=request.user,
        partnership_ids=[health.partnership.pk for health in health_page.object_list],
        page=CoordinatorAccess.Page.DASHBOARD,
    )
    context = page_context(
        modeladmin,
        request,
        programme,
        f"{programme.name}: dashboard",
        overview=overview,
        health_page=health_page,
        today=today,
        missed_for_one_sided=MISSED_FOR_ONE_SIDED,
        low_rating=LOW_RATING,
    )
    return TemplateResponse(request, "admin/partnerships/programme/dashboard.html", context)
