"""System checks over every registered admin, so that ``manage.py check`` (and every test
run) fails before a page can:

- show, filter, search, sort or pick by a private field (``partnerships.privacy``),
  directly or through a relation (``checkin__agenda``);
- be built on anything but the scoped bases, whose forms take their choices from
  ``field_choices`` and whose lists accept only the lookups they declare.

The same path rules guard the admins' get_* methods at run time (scoping.ScopedFormsMixin),
for what a method returns that no check can read ahead of time.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import SimpleListFilter
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F

from partnerships.privacy import private_field_reached

# The options that name fields, on a ModelAdmin and on an inline.
MODEL_ADMIN_OPTIONS = (
    "list_display",
    "list_display_links",
    "list_filter",
    "search_fields",
    "date_hierarchy",
    "ordering",
    "sortable_by",
    "list_editable",
    "fields",
    "fieldsets",
    "readonly_fields",
    "autocomplete_fields",
    "raw_id_fields",
    "prepopulated_fields",
    "filter_horizontal",
    "filter_vertical",
    "radio_fields",
)
INLINE_OPTIONS = (
    "fields",
    "fieldsets",
    "readonly_fields",
    "ordering",
    "autocomplete_fields",
    "raw_id_fields",
    "prepopulated_fields",
    "filter_horizontal",
    "filter_vertical",
    "radio_fields",
)


def paths_of(model_admin, item) -> list[str]:
    """The field paths an item of an admin option reaches from the admin's model: a field
    path itself, a search field without its ``^=@``, an ordering without its ``-``, or the
    ordering of a column that is a method. A method with no ordering reaches nothing: what
    it shows is tested by the pages (tests/security/test_field_privacy.py)."""
    if isinstance(item, (list, tuple)):  # list_filter's (path, FilterClass)
        item = item[0]
    if isinstance(item, type) and issubclass(item, SimpleListFilter):
        # A filter of our own says which fields it reads; one that does not is refused.
        return list(getattr(item, "reads", ("<a filter that does not say what it reads>",)))
    if not isinstance(item, str):
        return _ordering_paths(getattr(item, "admin_order_field", item))
    name = item.lstrip("-^=@")
    if name in ("", "?", "__str__"):
        return []
    try:
        model_admin.model._meta.get_field(name.split("__")[0])
    except FieldDoesNotExist:
        attr = getattr(model_admin, name, None) or getattr(model_admin.model, name, None)
        attr = attr.fget if isinstance(attr, property) else attr
        return _ordering_paths(getattr(attr, "admin_order_field", None))
    return [name]


def path_of(model_admin, item) -> str | None:
    """The first path of ``paths_of``, for the run-time guards."""
    return next(iter(paths_of(model_admin, item)), None)


def _ordering_paths(order) -> list[str]:
    """Field names in an ordering: a string, an F(), or an expression holding some."""
    if order is None:
        return []
    if isinstance(order, str):
        return [order.lstrip("-")]
    if isinstance(order, F):
        return [order.name]
    if hasattr(order, "flatten"):
        return [part.name for part in order.flatten() if isinstance(part, F)]
    return []


def _items(model_admin, option: str) -> list:
    value = getattr(model_admin, option, None)
    if not value:
        return []
    if option == "fieldsets":
        return [name for _, opts in value for name in _flat(opts.get("fields", ()))]
    if option == "prepopulated_fields":
        return [*value, *(source for sources in value.values() for source in sources)]
    if option == "radio_fields":
        return list(value)
    if option in ("date_hierarchy",) or isinstance(value, str):
        return [value]
    return list(_flat(value))


def _flat(fields):
    for item in fields:
        yield from (item if isinstance(item, (list, tuple)) else (item,))


def _default_form_fields(model_admin) -> list[str]:
    """A form declared by neither ``fields`` nor ``fieldsets`` holds every editable field."""
    if model_admin.fields or model_admin.fieldsets:
        return []
    overridden = (
        type(model_admin).get_fields is not admin.options.BaseModelAdmin.get_fields
        or type(model_admin).get_fieldsets is not admin.options.BaseModelAdmin.get_fieldsets
    )
    if overridden:
        return []  # decided per request: the run-time guard checks what it returns
    excluded = set(model_admin.exclude or ())
    return [
        field.name
        for field in model_admin.model._meta.get_fields()
        if getattr(field, "editable", False) and field.concrete and field.name not in excluded
    ]


def _private_errors(model_admin, options, where: str) -> list[checks.Error]:
    errors = []
    for option in options:
        items = _items(model_admin, option)
        if option == "fields":
            items = items or _default_form_fields(model_admin)
        for item in items:
            for path in paths_of(model_admin, item):
                reached = private_field_reached(model_admin.model, path)
                if path.startswith("<") or reached:
                    errors.append(
                        checks.Error(
                            f"{where}.{option} reaches {reached or path}: private fields are "
                            "never shown, filtered, searched, sorted or picked in the admin.",
                            hint="Remove it; partnerships.privacy lists what partners write.",
                            obj=type(model_admin),
                            id="partnerships.E101",
                        )
                    )
    return errors


def registered_admins():
    """Every registered ModelAdmin of the default site, by model."""
    for model in apps.get_models():
        if admin.site.is_registered(model):
            yield model, admin.site.get_model_admin(model)


@checks.register(checks.Tags.admin)
def check_admin_privacy_and_scope(app_configs=None, **kwargs) -> list[checks.Error]:
    # scoping imports this module's path helpers: import it back only when checking.
    from coordinators.admin.input import BadInputMixin  # noqa: PLC0415 (see above)
    from coordinators.admin.scoping import ScopedFormsMixin  # noqa: PLC0415 (see above)

    errors = []
    for model, model_admin in registered_admins():
        where = type(model_admin).__name__
        if not (
            isinstance(model_admin, ScopedFormsMixin) and isinstance(model_admin, BadInputMixin)
        ):
            errors.append(_unscoped(where, model_admin, "ScopedAdmin"))
        errors += _private_errors(model_admin, MODEL_ADMIN_OPTIONS, where)
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            inline_where = f"{where}.{inline_class.__name__}"
            if not isinstance(inline, ScopedFormsMixin):
                errors.append(_unscoped(inline_where, inline, "ScopedInline"))
            errors += _private_errors(inline, INLINE_OPTIONS, inline_where)
    return errors


def _unscoped(where: str, obj, base: str) -> checks.Error:
    return checks.Error(
        f"{where} is not built on coordinators.admin.scoping.{base}: its forms and lists "
        "would not be scoped to the coordinator or limited to the lookups it declares.",
        obj=type(obj),
        id="partnerships.E102",
    )
