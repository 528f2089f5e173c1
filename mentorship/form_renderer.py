"""Form widgets rendered by Jinja2, several times faster than Django's template language:
the workspace renders a hundred or so widgets per page. Templates that exist only for
Django's language (the admin's widget wrappers, say) still come from it."""

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
