"""Form widgets rendered by Jinja2, several times faster than Django's template language:
the workspace renders a hundred or so widgets per page. Templates that exist only for
Django's language (the admin's widget wrappers, say) still come from it.

Measured by ``python bench/micro.py forms`` (the demo's busiest workspace, 96 fields,
DEBUG off): Django's default renderer costs 11-15 ms more CPU per page, a fifth of it
(five runs: 46-61 ms with this one, 59-72 ms with Django's), for the same page but for
blank lines between options and &#39; written for &#x27;."""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(BaseRenderer):
    jinja2 = Jinja2()
    django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
