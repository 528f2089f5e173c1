"""The admin site: Django's own, with its autocomplete held to what the form accepts.

Django's autocomplete answers for any foreign key of any model whose target has an admin
with search fields, and offers whatever that admin lists. Here it answers only for the
fields an admin declares in ``autocomplete_fields``, and offers only what the form field
would accept (``field_choices``): the picker and the form cannot disagree.
"""

from django.apps import apps
from django.contrib.admin import AdminSite as DjangoAdminSite
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied


def declared_autocomplete_fields(site) -> set[tuple[type, str]]:
    """(model, field name) of every autocomplete field of the site's admins and inlines."""
    declared = set()
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        model_admin = site.get_model_admin(model)
        declared |= {(model, name) for name in model_admin.autocomplete_fields}
        for inline in model_admin.inlines:
            declared |= {(inline.model, name) for name in inline.autocomplete_fields}
    return declared


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if (source_field.model, source_field.name) not in declared_autocomplete_fields(
            self.admin_site
        ):
            raise PermissionDenied  # as Django answers any other malformed request here
        return term, model_admin, source_field, to_field_name

    def get_queryset(self):
        # This module holds an app config, read before the models the admin modules import.
        from coordinators.admin.scoping import field_choices  # noqa: PLC0415 (see above)

        accepted = field_choices(self.source_field, self.request.user)
        return super().get_queryset().filter(pk__in=accepted.values("pk"))


class AdminSite(DjangoAdminSite):
    site_header = "Mentorship programmes"
    site_title = "Mentorship admin"
    index_title = "Run your programmes"

    def autocomplete_view(self, request):
        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)


class AdminConfig(DjangoAdminConfig):
    """In INSTALLED_APPS in place of django.contrib.admin, so that admin.site is ours."""

    default_site = "coordinators.admin_site.AdminSite"
